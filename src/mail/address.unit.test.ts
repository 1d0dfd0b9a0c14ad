import { ADDRESS_ERROR, type Mailbox, normalizeForSuppression, parseMailbox } from './address';

type Accepted = [string, string, Partial<Mailbox>];
type Refused = [string, string, string];

const accepted: Accepted[] = [
  ['a bare address', 'alice@example.com', { local: 'alice', domain: 'example.com', address: 'alice@example.com' }],
  ['a named address', 'Alice <alice@example.com>', { name: 'Alice', address: 'alice@example.com' }],
  ['a quoted name with a comma', '"Doe, Jane" <jane@example.com>', { name: 'Doe, Jane', address: 'jane@example.com' }],
  ['an escaped quote in a quoted name', '"Jane \\"JD\\" Doe" <jd@example.com>', { name: 'Jane "JD" Doe' }],
  ['an empty quoted name as no name', '"" <a@example.com>', { name: undefined, address: 'a@example.com' }],
  ['angle brackets without a name', '<bob@example.com>', { name: undefined, address: 'bob@example.com' }],
  ['spaces inside the angle brackets', 'Bob < bob@example.com >', { address: 'bob@example.com' }],
  ['surrounding whitespace', '  carol@example.com  ', { address: 'carol@example.com' }],
  ['an initial with a dot in an unquoted name', 'J. R. Smith <jrs@example.com>', { name: 'J. R. Smith' }],
  ['an upper-case domain, lowercased', 'alice@Example.COM', { domain: 'example.com', address: 'alice@example.com' }],
  ['the local part case kept', 'Alice.Smith@example.com', { local: 'Alice.Smith', address: 'Alice.Smith@example.com' }],
  ['a subaddress', 'alice+news@example.com', { local: 'alice+news' }],
  ['all RFC 5322 atext characters', "a!#$%&'*+/=?^_`{|}~-z@example.com", { local: "a!#$%&'*+/=?^_`{|}~-z" }],
  ['a dotted local part', 'first.middle.last@example.com', { local: 'first.middle.last' }],
  ['a subdomain', 'ops@mail.eu.example.co.uk', { domain: 'mail.eu.example.co.uk' }],
  ['hyphens inside labels', 'x@my-host.example-mail.com', { domain: 'my-host.example-mail.com' }],
  ['a numeric label that is not the last', 'x@123.example.com', { domain: '123.example.com' }],
  [
    'an IDN domain, with a UTF-8 local part',
    'josé@exämple.com',
    { local: 'josé', domain: 'exämple.com', asciiDomain: 'xn--exmple-cua.com', utf8Local: true },
  ],
  ['an IDN domain written in punycode', 'bob@XN--exmple-cua.com', { domain: 'exämple.com', utf8Local: false }],
  [
    'an IDN domain: envelope gets A-labels, display gets U-labels',
    'Bob <bob@münchen.de>',
    { address: 'bob@xn--mnchen-3ya.de', display: 'bob@münchen.de' },
  ],
  ['a decomposed accent normalised to NFC', 'jose\u0301@example.com', { local: 'josé', utf8Local: true }],
  ['a Cyrillic local part', 'иван@example.com', { local: 'иван', utf8Local: true }],
  ['a non-ASCII display name', 'Zoë Ångström <zoe@example.com>', { name: 'Zoë Ångström' }],
  ['a local part of exactly 64 octets', `${'a'.repeat(64)}@example.com`, { local: 'a'.repeat(64) }],
  ['a label of exactly 63 octets', `x@${'b'.repeat(63)}.com`, { asciiDomain: `${'b'.repeat(63)}.com` }],
];

const longDomain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.${'g'.repeat(60)}.com`;

const refused: Refused[] = [
  ['an empty string', '', ADDRESS_ERROR.INVALID_ADDRESS],
  ['only whitespace', '   ', ADDRESS_ERROR.INVALID_ADDRESS],
  ['no @', 'alice.example.com', ADDRESS_ERROR.INVALID_ADDRESS],
  ['an empty local part', '@example.com', ADDRESS_ERROR.INVALID_ADDRESS],
  ['an empty local part inside brackets', 'A <@example.com>', ADDRESS_ERROR.INVALID_ADDRESS],
  ['an empty domain', 'alice@', ADDRESS_ERROR.INVALID_ADDRESS],
  ['a quoted local part hiding an @', '"a@b"@evil.com', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a quoted local part', '"john doe"@example.com', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['an unquoted name that is an address', 'alice@evil.com <bob@good.com>', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a quoted name that is an address', '"alice@evil.com" <bob@good.com>', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['two @ signs', 'a@b@c.com', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a trailing comment', 'alice@good.com(comment)', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a comment in the local part', 'alice(evil.com)@good.com', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a comment in the display name', 'Alice (work) <alice@good.com>', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a source route', '<@evil.com:alice@good.com>', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a multi-hop source route', '<@a.com,@b.com:x@y.com>', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['two addresses', 'alice@good.com, bob@other.com', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['two named addresses', 'A <a@good.com>, B <b@other.com>', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a semicolon list', 'a@good.com; b@other.com', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a group', 'friends: alice@good.com, bob@other.com;', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a group with brackets', 'team: <a@good.com>;', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['text after the closing bracket', 'Alice <alice@good.com> bob@evil.com', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a nested bracket', 'Alice <<alice@good.com>>', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['< without >', 'Alice <alice@good.com', ADDRESS_ERROR.INVALID_ADDRESS],
  ['> without <', 'alice@good.com>', ADDRESS_ERROR.INVALID_ADDRESS],
  ['an unterminated quoted name', '"Alice <alice@good.com>', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a stray quote in the name', 'Al"ice <alice@good.com>', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['an encoded word in the name', '=?utf-8?B?Ym9iQGdvb2QuY29t?= <a@evil.com>', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a domain literal', 'alice@[1.2.3.4]', ADDRESS_ERROR.INVALID_DOMAIN],
  ['an IPv6 domain literal', 'alice@[IPv6:::1]', ADDRESS_ERROR.INVALID_DOMAIN],
  ['a bare IPv4 domain', 'alice@1.2.3.4', ADDRESS_ERROR.INVALID_DOMAIN],
  ['a hexadecimal IPv4 domain', 'alice@0x7f.1', ADDRESS_ERROR.INVALID_DOMAIN],
  ['a percent-encoded domain', 'alice@exa%6Dple.com', ADDRESS_ERROR.INVALID_DOMAIN],
  ['an ideographic full stop', 'alice@evil\u3002com', ADDRESS_ERROR.INVALID_DOMAIN],
  ['a fullwidth at sign', 'alice\uFF20evil.com@good.com', ADDRESS_ERROR.INVALID_LOCAL_PART],
  ['CR/LF in the name', 'Alice\r\nBcc: x@y.com <a@b.com>', ADDRESS_ERROR.HEADER_INJECTION],
  ['LF in the address', 'alice@good.com\nBcc: x@y.com', ADDRESS_ERROR.HEADER_INJECTION],
  ['a lone CR', 'alice@good.com\r', ADDRESS_ERROR.HEADER_INJECTION],
  ['NUL in the local part', 'ali\u0000ce@good.com', ADDRESS_ERROR.CONTROL_CHARACTER],
  ['a tab in the name', 'Ali\tce <alice@good.com>', ADDRESS_ERROR.CONTROL_CHARACTER],
  ['a C1 control (NEL)', 'alice\u0085@good.com', ADDRESS_ERROR.CONTROL_CHARACTER],
  ['a Unicode line separator', 'Alice\u2028 <alice@good.com>', ADDRESS_ERROR.CONTROL_CHARACTER],
  ['a right-to-left override in the name', 'Alice \u202Emoc.live\u202C <a@good.com>', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a soft hyphen in the domain', 'alice@go\u00ADod.com', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a zero-width space in the local part', 'ali\u200Bce@good.com', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a space in the local part', 'ali ce@good.com', ADDRESS_ERROR.AMBIGUOUS_ADDRESS],
  ['a leading dot', '.alice@good.com', ADDRESS_ERROR.INVALID_LOCAL_PART],
  ['a trailing dot in the local part', 'alice.@good.com', ADDRESS_ERROR.INVALID_LOCAL_PART],
  ['consecutive dots', 'al..ice@good.com', ADDRESS_ERROR.INVALID_LOCAL_PART],
  ['a non-ASCII symbol in the local part', 'alice\u2605@good.com', ADDRESS_ERROR.INVALID_LOCAL_PART],
  ['a local part of 65 octets', `${'a'.repeat(65)}@example.com`, ADDRESS_ERROR.ADDRESS_TOO_LONG],
  ['a local part of 33 two-octet characters', `${'é'.repeat(33)}@example.com`, ADDRESS_ERROR.ADDRESS_TOO_LONG],
  ['an address over 254 octets', `${'a'.repeat(64)}@${longDomain}`, ADDRESS_ERROR.ADDRESS_TOO_LONG],
  ['a label of 64 octets', `x@${'b'.repeat(64)}.com`, ADDRESS_ERROR.ADDRESS_TOO_LONG],
  ['an input over 998 characters', `"${'n'.repeat(1000)}" <a@example.com>`, ADDRESS_ERROR.ADDRESS_TOO_LONG],
  ['a domain without a dot', 'alice@localhost', ADDRESS_ERROR.INVALID_DOMAIN],
  ['a trailing dot in the domain', 'alice@example.com.', ADDRESS_ERROR.INVALID_DOMAIN],
  ['an empty label', 'alice@example..com', ADDRESS_ERROR.INVALID_DOMAIN],
  ['a label starting with a hyphen', 'alice@-example.com', ADDRESS_ERROR.INVALID_DOMAIN],
  ['a label ending with a hyphen', 'alice@example-.com', ADDRESS_ERROR.INVALID_DOMAIN],
  ['an underscore in the domain', 'alice@ex_ample.com', ADDRESS_ERROR.INVALID_DOMAIN],
  ['an asterisk in the domain', 'alice@*.example.com', ADDRESS_ERROR.INVALID_DOMAIN],
  ['invalid punycode', 'alice@xn--a.com', ADDRESS_ERROR.INVALID_DOMAIN],
  ['an empty punycode label', 'alice@xn--.com', ADDRESS_ERROR.INVALID_DOMAIN],
  ['an emoji domain', 'alice@\u{1F4A9}.la', ADDRESS_ERROR.INVALID_DOMAIN],
];

describe('parseMailbox', () => {
  it.each(accepted)('accepts %s', (_name, input, expected) => {
    const result = parseMailbox(input);
    if (!result.ok) throw new Error(`refused ${JSON.stringify(input)}: ${result.code} ${result.message}`);
    const entries = Object.entries(expected);
    expect(result.mailbox).toMatchObject(Object.fromEntries(entries.filter(([, v]) => v !== undefined)));
    for (const [key] of entries.filter(([, v]) => v === undefined)) expect(result.mailbox).not.toHaveProperty(key);
  });

  it.each(refused)('refuses %s', (_name, input, code) => {
    const result = parseMailbox(input);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.message).not.toBe('');
  });

  it('fills every field of a named IDN mailbox', () => {
    expect(parseMailbox('"Pérez, José" <José@Exämple.COM>')).toEqual({
      ok: true,
      mailbox: {
        name: 'Pérez, José',
        local: 'José',
        domain: 'exämple.com',
        asciiDomain: 'xn--exmple-cua.com',
        address: 'José@xn--exmple-cua.com',
        display: 'José@exämple.com',
        utf8Local: true,
      },
    });
  });

  it('refuses a value that is not a string without throwing', () => {
    expect(parseMailbox(42 as unknown as string)).toMatchObject({ ok: false, code: ADDRESS_ERROR.INVALID_ADDRESS });
  });
});

describe('normalizeForSuppression', () => {
  const cases: [string, string, string][] = [
    ['lowercases the local part', 'Alice.Smith@Example.com', 'alice.smith@example.com'],
    ['keeps subaddresses distinct', 'alice+news@example.com', 'alice+news@example.com'],
    ['uses the A-label domain', 'Bob <bob@münchen.de>', 'bob@xn--mnchen-3ya.de'],
    ['folds a non-ASCII local part', 'JOSÉ@exämple.com', 'josé@xn--exmple-cua.com'],
    ['makes precomposed and decomposed accents one key', 'jose\u0301@example.com', 'josé@example.com'],
  ];
  it.each(cases)('%s', (_name, input, key) => {
    const result = parseMailbox(input);
    if (!result.ok) throw new Error(result.message);
    expect(normalizeForSuppression(result.mailbox)).toBe(key);
  });
});

describe('normalizeForSuppression with ignoreSubaddress', () => {
  const cases: [string, string, boolean, string][] = [
    ['keeps the tag when the option is off', 'alice+news@example.com', false, 'alice+news@example.com'],
    ['drops the tag when the option is on', 'Alice+News@Example.com', true, 'alice@example.com'],
    ['drops everything after the first +', 'a+b+c@example.com', true, 'a@example.com'],
    ['leaves an address without a tag alone', 'bob@münchen.de', true, 'bob@xn--mnchen-3ya.de'],
    ['keeps a local part that starts with + whole', '+tag@example.com', true, '+tag@example.com'],
    ['keeps a trailing + when off', 'carol+@example.com', false, 'carol+@example.com'],
    ['drops a trailing + when on', 'carol+@example.com', true, 'carol@example.com'],
  ];
  it.each(cases)('%s', (_name, input, ignoreSubaddress, key) => {
    const result = parseMailbox(input);
    if (!result.ok) throw new Error(result.message);
    expect(normalizeForSuppression(result.mailbox, { ignoreSubaddress })).toBe(key);
  });

  it('gives the same key as before when no option is passed', () => {
    const result = parseMailbox('Dan+X@Example.com');
    if (!result.ok) throw new Error(result.message);
    expect(normalizeForSuppression(result.mailbox, {})).toBe(normalizeForSuppression(result.mailbox));
    expect(normalizeForSuppression(result.mailbox)).toBe('dan+x@example.com');
  });
});
