// What the audience's routes ask of the double opt-in: to mail the confirmation of pending
// subscribers. The supporters' ConfirmationQueue is one; named here so that the audience needs
// nothing from the supporters' side (which needs the audience).
export interface ConfirmationRequests {
  /** Queues the confirmation mail of each of these pending subscribers, by id: no address waits in Redis. */
  confirm(ids: readonly number[]): Promise<void>;
}
