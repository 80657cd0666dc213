import { describe, expect, it } from 'vitest';
import { sha256Hex, verifyFile } from './verify-file.ts';

const blob = new Blob(['hello']);
const SHA_HELLO = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824';

describe('verifyFile', () => {
  it('hashes a Blob', async () => {
    expect(await sha256Hex(blob)).toBe(SHA_HELLO);
  });

  it('passes a file of the right size and hash, and says it checked the hash', async () => {
    expect(await verifyFile('m', { name: 'f', size: 5, sha256: SHA_HELLO }, blob, 100)).toBe(true);
    expect(await verifyFile('m', { name: 'f', size: 5, sha256: null }, blob, 100)).toBe(false);
  });

  it('skips the hash above the cap', async () => {
    expect(await verifyFile('m', { name: 'f', size: 5, sha256: '0'.repeat(64) }, blob, 4)).toBe(false);
  });

  it('rejects a wrong size or hash with an integrity_error', async () => {
    await expect(verifyFile('m', { name: 'f', size: 6, sha256: null }, blob, 100)).rejects.toMatchObject({
      code: 'integrity_error',
      status: 502,
      message: 'Model m: f is 5 bytes, but the server stated 6',
    });
    await expect(
      verifyFile('m', { name: 'f', size: 5, sha256: '0'.repeat(64) }, blob, 100),
    ).rejects.toMatchObject({ code: 'integrity_error', message: expect.stringContaining(SHA_HELLO) });
  });
});
