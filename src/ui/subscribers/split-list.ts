// Pure, so the rule model (and its unit test, under the server's compiler) can share it.

/** "news; events, Local" → ["news", "events", "Local"]: the separators a CSV import reads too. */
export const splitList = (text: string) =>
  text
    .split(/[;,]/)
    .map((part) => part.trim())
    .filter(Boolean);
