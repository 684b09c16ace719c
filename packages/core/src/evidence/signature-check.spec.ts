import { parseEnvelope, signEnvelope, IN_TOTO_PAYLOAD_TYPE } from './dsse';
import { generateSigningKey } from './keys';
import { checkSignatures, UNSIGNED_OWNER } from './signature-check';
import { parseEvidenceConfig, type EvidencePolicy } from './trust';

const config = parseEvidenceConfig(undefined).value as EvidencePolicy['config'];
const noKeys: EvidencePolicy = { config, keys: new Map(), keyProblems: [] };

function signedBy(key = generateSigningKey()) {
  const env = signEnvelope(Buffer.from('{}'), IN_TOTO_PAYLOAD_TYPE, key);
  const parsed = parseEnvelope(env);
  if (!('value' in parsed)) throw new Error(parsed.error);
  return { parsed: parsed.value, key };
}

describe('checkSignatures', () => {
  it('in a repository that lists no key, holds for evidence signed by a key of this machine the repository does not list', () => {
    const { parsed } = signedBy();
    expect(checkSignatures(parsed, noKeys, { stage: 'lint' }, { inRepository: true })).toEqual({
      ok: true,
      keyid: '',
      owner: UNSIGNED_OWNER,
    });
  });

  it('in a bundle whose keys were left out, names the unknown key', () => {
    const { parsed, key } = signedBy();
    expect(checkSignatures(parsed, noKeys, { stage: 'lint' })).toMatchObject({ ok: false, reason: 'unknown-key', keyid: key.keyid });
  });
});
