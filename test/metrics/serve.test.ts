import { describe, expect, it } from 'vitest';
import { parseListenAddress } from '../../src/metrics/serve.js';
import { groupingPath } from '../../src/metrics/push.js';
import { UsageError } from '../../src/stream/report.js';

describe('parseListenAddress', () => {
  it('binds 127.0.0.1 unless a host is given', () => {
    expect(parseListenAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress(':9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseListenAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(() => parseListenAddress('host:port')).toThrow(UsageError);
    expect(() => parseListenAddress('70000')).toThrow(UsageError);
  });
});

describe('groupingPath', () => {
  it('puts job and instance in the URL, base64url when a value holds a slash or is empty', () => {
    expect(groupingPath([['job', 'nightly'], ['instance', 'box 1']])).toBe('/metrics/job/nightly/instance/box%201');
    expect(groupingPath([['job', 'a/b'], ['instance', '']])).toBe('/metrics/job@base64/YS9i/instance@base64/=');
  });
});
