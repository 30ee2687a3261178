import type { Finding } from './audit.js';
import type { RoundResult } from './round.js';

/** Recovery goals: kill → SERVING again. */
export const GOALS = { serviceMs: 5_000, storeMs: 15_000 } as const;

const seconds = (ms: number | undefined) => (ms === undefined ? 'not within bound' : `${(ms / 1000).toFixed(1)} s`);

/** The results as markdown: one table row per killed process, the audit findings, and the command that produced them. */
export function chaosReport(rounds: readonly RoundResult[], services: readonly string[], final: Finding, command: string, settings: { buyers: number; units: number }): string {
  const rows = rounds.map((round) => {
    const isService = services.includes(round.target);
    const goal = isService ? GOALS.serviceMs : GOALS.storeMs;
    const met = round.servingAgainMs !== undefined && round.servingAgainMs <= goal ? 'yes' : 'no';
    const { CONFIRMED, REJECTED, PENDING, FAILED } = round.outcomes;
    const audit = round.audit.clean ? 'clean' : `**${round.audit.findings.filter((finding) => finding.problems.length > 0).map((finding) => finding.check).join('; ')}**`;
    return `| ${round.target} | ${isService ? 'service' : 'store'} | ${seconds(round.servingAgainMs)} | ${seconds(round.firstCheckoutMs)} | ${met} (≤ ${goal / 1000} s) | ${CONFIRMED} / ${REJECTED} / ${PENDING} / ${FAILED} | ${round.audit.confirmed} + ${round.audit.remainingStock} = ${settings.units} | ${audit} |`;
  });
  const problems = rounds.flatMap((round) => [
    ...round.audit.findings.flatMap((finding) => finding.problems.slice(0, 5).map((problem) => `- ${round.target}: ${finding.check}: ${problem}`)),
    ...round.errors.map((error) => `- ${round.target}: ${error}`),
  ]);
  return [
    '# Chaos: kill -9 of every process during a checkout race',
    '',
    `Measured by \`${command}\` on ${new Date().toISOString().slice(0, 10)}, on the shared 2-core development machine, against a system started by the launcher (\`npm start\`'s compiled launcher and services). In each round ${settings.buyers} buyers race through the gateway for ${settings.units} units of a fresh product (cart, then checkout with one idempotency key each, repeated across outages), and one process is killed with SIGKILL shortly after the race starts. "SERVING again" is the time from the kill to the launcher reporting the restarted process ready; "first checkout" the time from the kill to the first CONFIRMED checkout of a probe buyer (a kill that does not touch checkout shows the time of one checkout). The audit goes through the owners' APIs (orders, products, cart, search).`,
    '',
    '| killed | kind | SERVING again | first checkout | goal met | buyers answered confirmed / rejected / pending / failed | confirmed + stock = initial | audit |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Every OrderPlaced applied exactly once (a line added to each confirmed buyer's emptied cart after its round survived every later kill): ${final.problems.length === 0 ? 'clean' : `**${final.problems.length} lost**`}.`,
    '',
    'Audited in each round: confirmed quantity + remaining stock = initial stock; no order PENDING once the recovery bound has passed; one order per idempotency key; every confirmed buyer\'s cart emptied; the search index equals products\' current state.',
    ...(problems.length ? ['', '## Problems', '', ...problems] : []),
    '',
  ].join('\n');
}
