import { normalizeDomainName } from './domain-name';

describe('normalizeDomainName', () => {
  it.each([
    ['Example.COM', 'example.com'],
    [' mail.example.com. ', 'mail.example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
  ])('stores %p as %p', (input, ascii) => {
    expect(normalizeDomainName(input)).toMatchObject({ ok: true, ascii });
  });

  it.each([
    ['an address', 'user@example.com'],
    ['a single label', 'localhost'],
    ['spaces', 'exa mple.com'],
    ['an underscore label', 'a_b.example.com'],
    ['an empty name', '  '],
    ['a URL', 'https://example.com'],
  ])('refuses %s', (_name, input) => {
    expect(normalizeDomainName(input)).toMatchObject({ ok: false });
  });
});
