/**
 * The one entry point from a record to a constrained decode, for every consumer that runs the
 * model (the Node CLI's `decodeRecords` — predict, calibrate, model-report — and the browser
 * worker): prompt (src/clinical/prompt.ts), safety plan (src/clinical/withhold.ts: withheld
 * drugs masked, one drug per duplication group per hypothesis) and the trie decode
 * (`recommendWithCausalLm`). `safety: false` is the research switch: no mask, nothing withheld.
 */
import { buildPrompt } from '../clinical/prompt.ts';
import { Formulary } from '../clinical/formulary.ts';
import { recordFromObject, safetyPlan, type WithheldDrug } from '../clinical/withhold.ts';
import { recommendWithCausalLm, type RecommendInput } from './causal-lm.ts';
import type { CandidateTrie } from './trie.ts';
import type { DecodeResult } from './types.ts';

export interface RecordInput extends Omit<RecommendInput, 'prompt'> {
  /** A CDrugRed record, or any object with its fields. */
  record: Record<string, unknown>;
  /** Default true (the product). */
  safety?: boolean;
  /** Safety facts (contraindications, groups, name normalisation); default the bundled formulary. */
  formulary?: Formulary;
}

export interface RecordRecommendation extends DecodeResult {
  trie: CandidateTrie;
  /** Candidates the note rules out, masked from the search (empty with safety off). */
  withheld: WithheldDrug[];
  prompt: string;
  safety: boolean;
}

export async function recommendForRecord(input: RecordInput): Promise<RecordRecommendation> {
  const { record, safety = true, formulary = Formulary.bundled(), ...rest } = input;
  const prompt = buildPrompt(record);
  const plan = safety ? safetyPlan(recordFromObject(record), input.candidates, formulary) : null;
  const result = await recommendWithCausalLm({
    ...rest,
    prompt,
    options: { ...rest.options, ...(plan ? { mask: plan.mask } : {}) },
  });
  return { ...result, withheld: plan?.withheld ?? [], prompt, safety };
}
