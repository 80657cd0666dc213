/**
 * Judges one answer against its case's expectation: a list of problems (empty = as the contract says)
 * and a verdict for the tally (success, refused as unsupported, rejected as expected, or a disputed
 * case's outcome).
 */
import { validateAgainstSchema } from '../../packages/protocol/src/testing/schema.ts';
import type { ParamMatch, SweepCase } from './case.ts';
import { judgeJson } from './judge-json.ts';
import { judgeStream } from './judge-stream.ts';
import { requestFacts } from './request-facts.ts';
import type { Answer } from './send.ts';

export type Verdict =
  | 'success'
  | 'unsupported'
  | 'rejected'
  | 'disputed-success'
  | 'disputed-rejected'
  | 'wrong';

export interface Judgement {
  readonly verdict: Verdict;
  readonly problems: string[];
  /** `status code param: message`, for reports. */
  readonly summary: string;
}

interface ErrorInfo {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export async function judge(c: SweepCase, answer: Answer): Promise<Judgement> {
  const error = answer.status === 200 ? undefined : readError(answer);
  const summary = error
    ? `${answer.status} ${error.info?.code ?? '-'} param=${error.info?.param ?? 'null'}: ${error.info?.message ?? answer.text.slice(0, 200)}`
    : `${answer.status}`;
  const result = (verdict: Verdict, problems: string[]): Judgement => ({
    verdict: problems.length > 0 ? 'wrong' : verdict,
    problems,
    summary,
  });
  if (answer.status >= 500) return result('wrong', [`server error: ${summary}`]);

  const expect = c.expect;
  if (expect.kind === 'ok') {
    if (answer.status === 200) return result('success', await judgeSuccess(c, answer));
    const info = error?.info;
    const refusable = expect.unsupported ?? [];
    if (
      answer.status === 400 &&
      info?.code === 'unsupported_parameter' &&
      refusable.includes(info.param ?? '')
    ) {
      return result('unsupported', error?.problems ?? []);
    }
    return result('wrong', [`expected 200, got ${summary}`]);
  }
  if (expect.kind === 'either') {
    if (answer.status === 200) return result('disputed-success', await judgeSuccess(c, answer));
    if (answer.status < 400 || answer.status >= 500)
      return result('wrong', [`expected 200 or 4xx, got ${summary}`]);
    return result('disputed-rejected', [
      ...(error?.problems ?? []),
      ...paramProblems(expect.param, error?.info),
    ]);
  }
  const statuses = typeof expect.status === 'number' ? [expect.status] : expect.status;
  if (!statuses.includes(answer.status))
    return result('wrong', [`expected ${statuses.join('/')}, got ${summary}`]);
  const problems = [...(error?.problems ?? []), ...paramProblems(expect.param, error?.info)];
  if (expect.code && error?.info?.code !== expect.code)
    problems.push(`code ${error?.info?.code}, expected ${expect.code}`);
  if (expect.message && error?.info?.message !== expect.message) {
    problems.push(
      `message ${JSON.stringify(error?.info?.message)}, expected ${JSON.stringify(expect.message)}`,
    );
  }
  return result('rejected', problems);
}

async function judgeSuccess(c: SweepCase, answer: Answer): Promise<string[]> {
  if (!c.json) return answer.status === 200 ? [] : [`status ${answer.status}`];
  const facts = requestFacts(c.json);
  return facts.stream ? judgeStream(facts, answer) : judgeJson(facts, answer);
}

function readError(answer: Answer): { info?: ErrorInfo; problems: string[] } {
  if (!answer.contentType.includes('application/json')) {
    return { problems: [`error with content-type ${answer.contentType || '(none)'}`] };
  }
  let body: { error?: ErrorInfo };
  try {
    body = JSON.parse(answer.text) as { error?: ErrorInfo };
  } catch {
    return { problems: [`error body is not JSON: ${answer.text.slice(0, 200)}`] };
  }
  const schema = validateAgainstSchema('ErrorResponse', body);
  return { info: body.error, problems: schema.map((line) => `ErrorResponse schema: ${line}`) };
}

/** `messages` matches `messages`, `messages[0].role`, `messages.0.role`. */
export function paramMatches(expected: string | null, actual: string | null): boolean {
  if (expected === null || actual === null) return expected === actual;
  return actual === expected || actual.startsWith(`${expected}[`) || actual.startsWith(`${expected}.`);
}

function paramProblems(expected: ParamMatch, info: ErrorInfo | undefined): string[] {
  if (expected === undefined || !info) return [];
  const options = typeof expected === 'string' || expected === null ? [expected] : expected;
  if (options.some((option) => paramMatches(option, info.param))) return [];
  return [
    `param ${JSON.stringify(info.param)}, expected ${options.map((o) => JSON.stringify(o)).join(' or ')}`,
  ];
}
