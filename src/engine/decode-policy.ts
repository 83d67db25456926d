/**
 * The one decoding policy as code, for every consumer that runs the model: the ModelEngine
 * (browser worker, Node tests) and the Node CLI's `decodeRecords` (predict, calibrate,
 * model-report). Search with `searchOptions(config)` (no early stop, up to maxDrugs), then cut
 * the trajectory with `cutSettings(config)` — src/decoding/policy.ts says why. Prompt and safety
 * mask come from the one entry point `recommendForRecord`.
 */
import type { Formulary } from '../clinical/formulary.ts';
import { PROMPT_SPEC } from '../clinical/prompt.ts';
import type { WithheldDrug } from '../clinical/withhold.ts';
import type { ForwardModel, TokenizerLike } from '../decoding/causal-lm.ts';
import { cutSettings, cutTrajectory, searchOptions, type CutSettings, type PolicyConfig } from '../decoding/policy.ts';
import { recommendForRecord, type RecordRecommendation } from '../decoding/recommend-record.ts';
import type { FusionWeights } from '../decoding/evidence-fusion.ts';
import type { CandidateTrie } from '../decoding/trie.ts';
import type { DecodeResult, DecodedDrug } from '../decoding/types.ts';

export interface PolicyDecodeInput {
  model: ForwardModel;
  tokenizer: TokenizerLike;
  record: Record<string, unknown>;
  /** Candidate names in the model's spelling (what the trie is built over). */
  candidates: readonly string[];
  /** The model's calibrated settings (decoding.json) or the CLI's flags over them; null = defaults. */
  config: PolicyConfig | null;
  /** Safety masking; default true. */
  safety?: boolean;
  formulary?: Formulary;
  signal?: AbortSignal;
  /** Model name → the list's spelling (src/clinical/candidate-list.ts); default: unchanged. */
  toList?: (name: string) => string | undefined;
  /** The folder's evidence-fusion weights (fusion.json); null/absent = the search alone. */
  fusion?: FusionWeights | null;
}

export interface PolicyDecodeResult extends Omit<DecodeResult, 'drugs' | 'trajectory'> {
  /** The trajectory cut at `cut`: the recommendation. */
  drugs: DecodedDrug[];
  /** The searched list before the cut; the page may re-cut it without running the model. */
  trajectory: DecodedDrug[];
  cut: CutSettings;
  withheld: WithheldDrug[];
  trie: CandidateTrie;
  prompt: string;
  /** The language model's search before fusion, and (with fusion) each drug's model vs note support. */
  search: RecordRecommendation['search'];
  fused: boolean;
  fusedTrajectory: RecordRecommendation['fusedTrajectory'];
}

export async function decodeWithPolicy(input: PolicyDecodeInput): Promise<PolicyDecodeResult> {
  const searched = await recommendForRecord({
    model: input.model,
    tokenizer: input.tokenizer,
    record: input.record,
    safety: input.safety ?? true,
    ...(input.formulary ? { formulary: input.formulary } : {}),
    candidates: input.candidates,
    fusion: input.fusion ?? null,
    format: PROMPT_SPEC.target,
    options: { ...searchOptions(input.config), ...(input.signal ? { signal: input.signal } : {}) },
  });
  const cut = cutSettings(input.config);
  const toList = input.toList;
  const spell = <T extends { name: string }>(d: T): T => (toList ? { ...d, name: toList(d.name) ?? d.name } : d);
  const { trie, prompt, safety: _safety, withheld, ...rest } = searched;
  return {
    ...rest,
    drugs: cutTrajectory(searched, cut).map(spell),
    trajectory: searched.trajectory.map(spell),
    cut,
    withheld: toList ? withheld.map((w) => ({ ...w, drug: toList(w.drug) ?? w.drug })) : withheld,
    trie,
    prompt,
  };
}
