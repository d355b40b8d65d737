import crypto = require('node:crypto');
import { hashChosenKey, verifyChosenKey } from '../../shared/platform/auth/chosenKeyHash';

jest.setTimeout(120_000);

const KEY = 'a-person-chose-this-admin-key-0123456789';
const WRONG = 'a-person-chose-this-admin-key-9876543210';

describe('chosen (FACTORY_ADMIN_KEY) key hash', () => {
  afterEach(() => jest.restoreAllMocks());

  it('accepts the key and refuses others, and once the key is verified wrong keys never run scrypt', async () => {
    const stored = await hashChosenKey(KEY);
    const scrypt = jest.spyOn(crypto, 'scrypt');
    expect(await verifyChosenKey(WRONG, stored)).toBe(false);
    expect(await verifyChosenKey(`${KEY}x`, stored)).toBe(false);
    expect(await verifyChosenKey(KEY, stored)).toBe(true);
    expect(scrypt).not.toHaveBeenCalled();
  });

  it('verifies with scrypt against a hash it has not verified yet (another stored hash), then caches it', async () => {
    const other = 'another-chosen-admin-key-abcdefghijklmnop';
    const stored = await hashChosenKey(other);
    await hashChosenKey(KEY); // the cache now holds a different stored hash
    const scrypt = jest.spyOn(crypto, 'scrypt');
    expect(await verifyChosenKey(WRONG, stored)).toBe(false);
    expect(scrypt).toHaveBeenCalledTimes(1);
    expect(await verifyChosenKey(other, stored)).toBe(true);
    expect(scrypt).toHaveBeenCalledTimes(2);
    expect(await verifyChosenKey(WRONG, stored)).toBe(false);
    expect(await verifyChosenKey(other, stored)).toBe(true);
    expect(scrypt).toHaveBeenCalledTimes(2);
  });
});
