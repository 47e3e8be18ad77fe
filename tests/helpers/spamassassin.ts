// Scores a whole message (MIME) with SpamAssassin as a receiving server would, offline: local
// rules only (-L), no DNS blocklists, no Bayes history of ours.
import { spawn, spawnSync } from 'node:child_process';

export interface RuleHit {
  rule: string;
  points: number;
  description: string;
}

export interface SpamReport {
  score: number;
  hits: RuleHit[];
}

/** Throws, saying how to install it, when `spamassassin` is not on the PATH: the suite must not pass without it. */
export function requireSpamAssassin(): void {
  const probe = spawnSync('spamassassin', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      'spamassassin is not installed, so the deliverability suite cannot score the mail. ' +
        'Install it (Debian: apt-get install spamassassin; .ci/run does this) and run the tests again.',
    );
}

/** Runs `spamassassin -L -t` on the message and reads its "Content analysis details" report. */
export function scoreMessage(mime: Buffer): Promise<SpamReport> {
  return new Promise((resolve, reject) => {
    // -t appends the report to the message; a user's own preferences must not move the score.
    const child = spawn('spamassassin', ['-L', '-t', '--prefspath=/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const report = Buffer.concat(out).toString('utf8');
      try {
        resolve(parseReport(report));
      } catch (cause) {
        reject(new Error(`spamassassin exited ${code}: ${Buffer.concat(err).toString('utf8')}`, { cause }));
      }
    });
    child.stdin.end(mime);
  });
}

/**
 * The report's total and its table of rules, e.g.
 *
 *     Content analysis details:   (0.6 points, 5.0 required)
 *      pts rule name              description
 *     ---- ---------------------- ------------------------------------
 *      0.0 HTML_MESSAGE           BODY: HTML included in message
 *                                 (a description's second line)
 */
export function parseReport(report: string): SpamReport {
  const total = /Content analysis details:\s+\((-?\d+(?:\.\d+)?) points/.exec(report);
  if (!total) throw new Error('no "Content analysis details" in the output');
  const table = report.slice(total.index).split('\n');
  const start = table.findIndex((line) => line.startsWith('----'));
  const hits: RuleHit[] = [];
  for (const line of table.slice(start + 1)) {
    const hit = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$/.exec(line);
    if (hit) hits.push({ points: Number(hit[1]), rule: hit[2]!, description: hit[3]!.trim() });
    else if (/^\s{20,}\S/.test(line) && hits.length) hits.at(-1)!.description += ` ${line.trim()}`;
    else break;
  }
  return { score: Number(total[1]), hits };
}
