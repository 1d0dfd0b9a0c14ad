import { canonicalJson, messageIdForKey, randomId } from './ids';

describe('message ids', () => {
  it('derives the same id from the same project and key, and another from another project', () => {
    expect(messageIdForKey('proj_a', 'k1', 0)).toBe(messageIdForKey('proj_a', 'k1', 0));
    expect(messageIdForKey('proj_a', 'k1', 0)).not.toBe(messageIdForKey('proj_b', 'k1', 0));
    expect(messageIdForKey('proj_a', 'k1', 0)).not.toBe(messageIdForKey('proj_a', 'k1', 1));
    expect(messageIdForKey('proj_a', 'k1', 0)).toMatch(/^msg_[a-z2-7]{26}$/);
  });

  it('makes fresh random ids with their prefix', () => {
    expect(randomId('msg')).toMatch(/^msg_[a-z2-7]{26}$/);
    expect(randomId('msg')).not.toBe(randomId('msg'));
  });
});

describe('canonicalJson', () => {
  it('hashes equal bodies the same whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: { y: [1, { d: 2, c: 3 }], x: null } })).toBe(canonicalJson({ a: { x: null, y: [1, { c: 3, d: 2 }] }, b: 1 }));
  });

  it('tells apart bodies that differ', () => {
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
  });
});
