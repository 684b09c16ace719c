import type { ChatMessage, GenerateRequest, LanguageModel } from '../../provider';
import type { Redactor } from '../../redact';
import { usageRecord, type PriceTable, type UsageRecord } from '../../usage';

export type ModeName = 'intake' | 'review' | 'change-order' | 'rescue';

/** One line of a mode's transcript: what was asked, what came back, what was decided. */
export interface TranscriptEntry {
  at: string;
  kind: 'request' | 'answer' | 'error' | 'note';
  /** The attempt (change order) the entry belongs to, from 1. */
  attempt?: number;
  system?: string;
  messages?: ChatMessage[];
  text?: string;
  usage?: UsageRecord;
}

export interface AskOptions {
  system: string;
  messages: ChatMessage[];
  json?: boolean;
  maxOutputTokens?: number;
  attempt?: number;
  signal?: AbortSignal;
}

/**
 * A conversation of one mode with one model. Everything sent is redacted first (the API key
 * and key-shaped strings never reach a prompt), every request and answer is kept for the
 * transcript, and every call's tokens, latency and estimated cost are kept for the metrics.
 */
export class ModeSession {
  readonly transcript: TranscriptEntry[] = [];
  readonly usage: UsageRecord[] = [];

  constructor(
    readonly mode: ModeName,
    private readonly model: LanguageModel,
    private readonly redactor: Redactor,
    private readonly prices: PriceTable,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get label(): string {
    return `${this.model.provider}/${this.model.modelId}`;
  }

  /** Sends one request and returns the answer's text. Errors are recorded, then thrown. */
  async ask(options: AskOptions): Promise<string> {
    const system = this.redactor.redact(options.system);
    const messages = options.messages.map((m) => ({ role: m.role, content: this.redactor.redact(m.content) }));
    this.transcript.push({ at: this.stamp(), kind: 'request', attempt: options.attempt, system, messages });
    const req: GenerateRequest = { system, messages, json: options.json, maxOutputTokens: options.maxOutputTokens, signal: options.signal };
    try {
      const result = await this.model.generate(req);
      const usage = usageRecord(
        {
          provider: this.model.provider,
          model: result.model,
          requestedModel: this.model.modelId,
          usage: result.usage,
          latencyMs: result.latencyMs,
        },
        this.prices,
      );
      this.usage.push(usage);
      const text = this.redactor.redactKnown(result.text);
      this.transcript.push({ at: this.stamp(), kind: 'answer', attempt: options.attempt, text, usage });
      return text;
    } catch (e) {
      this.transcript.push({ at: this.stamp(), kind: 'error', attempt: options.attempt, text: this.redactor.redact(errorText(e)) });
      throw e;
    }
  }

  /** Adds a decision to the transcript (a refused edit, a TCR outcome). */
  note(text: string, attempt?: number): void {
    this.transcript.push({ at: this.stamp(), kind: 'note', attempt, text: this.redactor.redact(text) });
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
