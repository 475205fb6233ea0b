import { z } from 'zod';
import { CloudError, type CloudIssue } from '../errors.js';

/** The wire format's rule for appliance ids (docs/ENVELOPE.md): ASCII, safe in logs, keys and paths. */
const APPLIANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** Only the canonical URL-safe base64 spelling of 32 bytes, as the wire module prints keys. */
function isCanonicalKey(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text;
}

export const ApplianceInput = z.object({
  applianceId: z.string({ error: 'is required' }).regex(APPLIANCE_ID, 'must be 1-64 characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit'),
  signPublicKey: z
    .string({ error: 'is required' })
    .transform((key) => key.trim())
    .refine(isCanonicalKey, 'must be a 32-byte Ed25519 public key in URL-safe base64 without padding, as `hema3n identity` prints it'),
});

export type ApplianceInput = z.infer<typeof ApplianceInput>;

/** Every bad field at once, as INPUT_INVALID; never the values (a key is not for error messages). */
export function parseApplianceInput(raw: unknown): ApplianceInput {
  const parsed = ApplianceInput.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues: CloudIssue[] = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(input)', problem: issue.message }));
  throw new CloudError('INPUT_INVALID', `Invalid appliance: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`, { issues });
}
