import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DECODING_CONFIG_VERSION,
  DecodingConfigError,
  parseDecodingConfig,
  serializeDecodingConfig,
  type DecodingConfig,
} from './decoding-config.ts';

const full: DecodingConfig = {
  version: DECODING_CONFIG_VERSION,
  stopThreshold: 0.42,
  minConfidence: 0.05,
  beamWidth: 4,
  minDrugs: 1,
  maxDrugs: 14,
  calibratedOn: { file: 'data/cohort/dev.jsonl', visits: 1189, dtype: 'q8', score: 0.41, meanPredicted: 6.5, meanGold: 6.7, ratio: 0.97, exact: false, maxDrugs: 30, ratioBand: [0.8, 1.25] },
};

describe('decoding.json', () => {
  it('round-trips through serialize/parse', () => {
    const text = serializeDecodingConfig(full);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseDecodingConfig(JSON.parse(text))).toEqual(full);
  });

  it('accepts the shipped model\'s decoding.json', () => {
    const c = parseDecodingConfig(JSON.parse(readFileSync('models/dischargerx-small/decoding.json', 'utf8')));
    expect(c.version).toBe(DECODING_CONFIG_VERSION);
    expect(c.calibratedOn?.ratioBand).toHaveLength(2);
  });

  it('accepts the minimal form and ignores unknown fields', () => {
    const c = parseDecodingConfig({ version: DECODING_CONFIG_VERSION, stopThreshold: 0, beamWidth: 1, future: 'x' });
    expect(c).toEqual({ version: DECODING_CONFIG_VERSION, stopThreshold: 0, minConfidence: 0, beamWidth: 1 });
  });

  it.each([
    [null, 'expected a JSON object'],
    [[], 'expected a JSON object'],
    [{ stopThreshold: 0.1, beamWidth: 4 }, 'version: '],
    [{ version: DECODING_CONFIG_VERSION, stopThreshold: 1.5, beamWidth: 4 }, 'stopThreshold: must be'],
    [{ version: DECODING_CONFIG_VERSION, stopThreshold: '0.1', beamWidth: 4 }, 'stopThreshold: must be'],
    [{ version: DECODING_CONFIG_VERSION, stopThreshold: 0.1, beamWidth: 2.5 }, 'beamWidth: must be an integer'],
    [{ version: DECODING_CONFIG_VERSION, stopThreshold: 0.1, beamWidth: 0 }, 'beamWidth: must be an integer'],
    [{ version: DECODING_CONFIG_VERSION, stopThreshold: 0.1, beamWidth: 4, minConfidence: -1 }, 'minConfidence: must be'],
    [{ version: DECODING_CONFIG_VERSION, stopThreshold: 0.1, beamWidth: 4, calibratedOn: { file: 'x' } }, 'calibratedOn.visits: '],
    [{ ...full, calibratedOn: { ...full.calibratedOn, ratioBand: [0.8] } }, 'calibratedOn.ratioBand[1]: must be a number'],
  ])('rejects %j with a one-line reason naming the file and the field', (json, part) => {
    let err: unknown;
    try {
      parseDecodingConfig(json, 'm/decoding.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecodingConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('m/decoding.json');
    expect(msg).toContain(part);
    expect(msg).not.toContain('\n');
  });
});
