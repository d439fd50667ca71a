// The page's side of entry-server's protocol (docs/protocol.md): an attempt, then the sealed
// evidence. Each request has a timeout and follows the attempt's cancellation; the server's typed
// answers become the SDK's errors.
import { ErrorCode } from './error-codes.js';
import { EntrySDKError } from './errors.js';
import type { AttemptCreated, AttemptPurpose, AttemptRequest, Decided } from './server-types.js';
import type { SealedEvidence, UseCase } from './core-types.js';

export interface ServerOptions {
  /** Where entry-server answers, e.g. `https://entry.bank.example`. */
  url: string | URL;
  /** How long one request may take before NETWORK_ERROR, ms. Default 20000 (the server re-runs the capture). */
  timeoutMs?: number;
}

export class EntryServerClient {
  private readonly base: URL;
  private readonly timeoutMs: number;

  constructor(
    private readonly appName: string,
    options: ServerOptions,
  ) {
    try {
      this.base = new URL(options.url);
    } catch (e) {
      throw new EntrySDKError(ErrorCode.INVALID_CONFIGURATION, `server.url is not a URL: ${String(options.url)}`, e);
    }
    this.timeoutMs = options.timeoutMs ?? 20_000;
  }

  /** `POST /v1/attempts`: the attempt's id, nonce, challenge, capture policy and evidence key. */
  createAttempt(purpose: AttemptPurpose, userId: string | null, useCase: UseCase, signal: AbortSignal): Promise<AttemptCreated> {
    const body: AttemptRequest = { app: this.appName, purpose, useCase };
    if (userId !== null) body.userId = userId;
    return this.post('/v1/attempts', body, signal);
  }

  /** `POST /v1/attempts/{id}/evidence`: the server's decision. */
  submitEvidence(attemptId: string, sealed: SealedEvidence, signal: AbortSignal): Promise<Decided> {
    return this.post(`/v1/attempts/${encodeURIComponent(attemptId)}/evidence`, sealed, signal);
  }

  private async post<T>(path: string, body: unknown, cancel: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let answer: Response;
    try {
      answer = await fetch(new URL(path, this.base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([cancel, timeout]),
        credentials: 'omit',
      });
    } catch (e) {
      if (cancel.aborted) throw new EntrySDKError(ErrorCode.USER_CANCELLED, 'the person cancelled the face check', e);
      const why = timeout.aborted ? `no answer within ${this.timeoutMs / 1000} s` : 'unreachable';
      throw new EntrySDKError(ErrorCode.NETWORK_ERROR, `entry-server ${why}`, e);
    }
    const json = (await answer.json().catch(() => null)) as { code?: string; message?: string } | null;
    if (answer.ok && json) return json as T;
    const code = json?.code && json.code in ErrorCode ? (json.code as ErrorCode) : ErrorCode.NETWORK_ERROR;
    throw new EntrySDKError(code, json?.message ?? `entry-server answered ${answer.status}`);
  }
}
