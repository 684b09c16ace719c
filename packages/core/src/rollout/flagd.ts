/**
 * The rollout's flag in the OpenFeature flagd flag-definition format
 * (https://flagd.dev/reference/flag-definitions/): a boolean flag whose `fractional` targeting
 * serves `on` to `percent` % of targeting keys. flagd buckets by the flag key and the targeting
 * key (murmur3), so a key that got the new code keeps it as the percentage grows. Weights are
 * integers: basis points, so 0.01 % steps are exact.
 */
export const FLAGD_SCHEMA = 'https://flagd.dev/schema/v0/flags.json';
const TOTAL = 10_000;

export interface FlagdDocument {
  $schema: string;
  flags: Record<
    string,
    {
      state: 'ENABLED' | 'DISABLED';
      variants: { on: true; off: false };
      defaultVariant: 'on' | 'off';
      targeting: { fractional: [['on', number], ['off', number]] };
      metadata?: Record<string, string | number | boolean>;
    }
  >;
}

/** The flag file serving `percent` % (0-100). */
export function flagdDocument(flagKey: string, percent: number, metadata: Record<string, string | number | boolean> = {}): FlagdDocument {
  const on = Math.round(Math.min(100, Math.max(0, percent)) * 100);
  return {
    $schema: FLAGD_SCHEMA,
    flags: {
      [flagKey]: {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        targeting: {
          fractional: [
            ['on', on],
            ['off', TOTAL - on],
          ],
        },
        ...(Object.keys(metadata).length ? { metadata } : {}),
      },
    },
  };
}

/** The percentage a flag file serves, or undefined when it is not one Factory wrote. */
export function servedPercent(doc: unknown, flagKey: string): number | undefined {
  const flag = (doc as FlagdDocument | undefined)?.flags?.[flagKey];
  const f = flag?.targeting?.fractional;
  if (!Array.isArray(f) || f.length !== 2) return undefined;
  const on = f.find((b) => Array.isArray(b) && b[0] === 'on')?.[1];
  const off = f.find((b) => Array.isArray(b) && b[0] === 'off')?.[1];
  if (typeof on !== 'number' || typeof off !== 'number' || on + off <= 0) return undefined;
  return Math.round((on / (on + off)) * 10_000) / 100;
}

/** The flag key of a task: its slug (flagd keys are free strings). */
export const flagKeyOf = (slug: string) => slug;
