import { checkWebhookUrl } from './url-policy';

describe('checkWebhookUrl', () => {
  it.each([
    ['https://hooks.example.com/sendarix', 'https://hooks.example.com/sendarix'],
    ['http://hooks.example.com:8080/in?x=1', 'http://hooks.example.com:8080/in?x=1'],
    ['https://93.184.216.34/hook', 'https://93.184.216.34/hook'],
    ['https://[2606:4700:4700::1111]/hook', 'https://[2606:4700:4700::1111]/hook'],
  ])('accepts %s', (raw, normalised) => {
    expect(checkWebhookUrl(raw, false)).toEqual({ ok: true, url: normalised });
  });

  it('accepts a host name that may resolve anywhere: the send-time check vets its addresses', () => {
    expect(checkWebhookUrl('http://localhost:8080/hook', false)).toMatchObject({ ok: true });
  });

  it.each([
    ['ftp://hooks.example.com/x', 'unsupported_scheme'],
    ['file:///etc/passwd', 'unsupported_scheme'],
    ['javascript:alert(1)', 'unsupported_scheme'],
    ['https://user:pass@hooks.example.com/', 'credentials_in_url'],
    ['https://user@hooks.example.com/', 'credentials_in_url'],
    ['not a url', 'invalid_url'],
    ['/relative/path', 'invalid_url'],
    [`https://example.com/${'a'.repeat(2048)}`, 'too_long'],
  ])('refuses %s with %s', (raw, code) => {
    expect(checkWebhookUrl(raw, true)).toMatchObject({ ok: false, forbiddenAddress: false, code });
  });

  it.each([
    ['http://127.0.0.1:9000/hook', 'loopback'],
    ['http://2130706433/hook', 'loopback'],
    ['http://0x7f.1/hook', 'loopback'],
    ['http://[::1]/hook', 'loopback'],
    ['http://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['http://10.0.0.8/hook', 'private'],
    ['http://192.168.1.1/hook', 'private'],
    ['http://100.64.1.1/hook', 'cgnat'],
    ['http://169.254.169.254/latest/meta-data', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://224.0.0.1/', 'multicast'],
  ])('refuses the literal address in %s (%s)', (raw, addressClass) => {
    const result = checkWebhookUrl(raw, false);
    expect(result).toMatchObject({ ok: false, forbiddenAddress: true, code: 'forbidden_address', addressClass });
  });

  it('lets loopback and private literals through with allowPrivate, but never the metadata address', () => {
    expect(checkWebhookUrl('http://127.0.0.1:9000/hook', true)).toMatchObject({ ok: true });
    expect(checkWebhookUrl('http://10.0.0.8/hook', true)).toMatchObject({ ok: true });
    expect(checkWebhookUrl('http://169.254.169.254/', true)).toMatchObject({ ok: false, addressClass: 'metadata' });
  });
});
