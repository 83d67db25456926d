/**
 * The one entry point from a record to a constrained decode, for every consumer that runs the
 * model (the Node CLI's `decodeRecords` — predict, calibrate, model-report — and the browser
 * worker): prompt (src/clinical/prompt.ts), safety plan (src/clinical/withhold.ts: withheld
 * drugs masked, one drug per duplication group per hypothesis), the trie decode
 * (`recommendWithCausalLm`) and, when the model folder carries fusion weights, the evidence
 * fusion (./evidence-fusion.ts) that weighs the search against the note's own statements.
 * `safety: false` is the research switch: no mask, nothing withheld.
 */
import { openClassPlans } from '../clinical/class-plans.ts';
import { unnamedPicks } from '../clinical/class-words.ts';
import { supportedAreas } from '../clinical/area-support.ts';
import { impliedPlans } from '../clinical/implied-drugs.ts';
import { unsuggestedDrugs } from '../clinical/unsuggested.ts';
import { completeDischargeList } from '../clinical/discharge-list.ts';
import { buildPrompt, mentionStatuses } from '../clinical/prompt.ts';
import { Formulary } from '../clinical/formulary.ts';
import type { CDrugRedRecord } from '../clinical/record.ts';
import { recordFromObject, restartedInNote, safetyPlan, type WithheldDrug } from '../clinical/withhold.ts';
import { recommendWithCausalLm, type RecommendInput } from './causal-lm.ts';
import { fuse, type FusedDrug, type FusionInput, type FusionWeights } from './evidence-fusion.ts';
import type { CandidateTrie } from './trie.ts';
import type { DecodedDrug, DecodeResult } from './types.ts';

export interface RecordInput extends Omit<RecommendInput, 'prompt'> {
  /** A CDrugRed record, or any object with its fields. */
  record: Record<string, unknown>;
  /** Default true (the product). */
  safety?: boolean;
  /** Safety facts (contraindications, groups, name normalisation); default the bundled formulary. */
  formulary?: Formulary;
  /** Evidence-fusion weights (the model folder's fusion.json); null/absent = the search alone. */
  fusion?: FusionWeights | null | undefined;
}

export interface RecordRecommendation extends DecodeResult {
  trie: CandidateTrie;
  /** Candidates the note rules out, masked from the search (empty with safety off). */
  withheld: WithheldDrug[];
  prompt: string;
  safety: boolean;
  /** With fusion: the fused list, best first (the same objects as `fusedTrajectory`). */
  trajectory: DecodedDrug[];
  /** With fusion: each drug's model vs note support; null without fusion. */
  fusedTrajectory: FusedDrug[] | null;
  /** The language model's own search, before fusion (equal to trajectory without fusion). */
  search: { trajectory: DecodedDrug[]; stopProbabilities: number[] };
  fused: boolean;
}

/**
 * What the note itself says about drugs, as the fusion reads it: each named drug's final status,
 * the drugs of classes it plans without naming one (and the prophylaxis a drug it starts implies,
 * src/clinical/implied-drugs.ts, taken the same way), the therapeutic areas it gives a reason for,
 * the drugs it leaves no room for as suggestions and its complete discharge list, if any. One function, so the fit (cli/fit-fusion) and every
 * decode see the same evidence.
 */
export function noteEvidence(
  record: Record<string, unknown>,
  formulary: Formulary,
  parsed: CDrugRedRecord = recordFromObject(record),
): Pick<FusionInput, 'statuses' | 'classPlans' | 'areas' | 'unsuggested' | 'completeList' | 'unnamedPicks'> {
  const statuses = mentionStatuses(record, formulary);
  // A drug the note restarts by its class is taken, though its last word is the stop.
  for (const name of restartedInNote(parsed, formulary)) if (statuses.get(name) === 'stopped') statuses.set(name, 'positive');
  const areas = { of: (name: string) => formulary.get(name)?.area, supported: supportedAreas(parsed) };
  const classPlans = [...openClassPlans(record, formulary, statuses), ...impliedPlans(parsed, formulary, statuses)];
  const unsuggested = unsuggestedDrugs(parsed, formulary, statuses, new Set(classPlans.map((p) => p.usual)), areas.supported);
  const completeList = completeDischargeList(parsed, formulary, statuses);
  const unnamed = unnamedPicks(formulary.drugs, (name) => statuses.has(name));
  return { statuses, classPlans, areas, unsuggested, completeList, unnamedPicks: unnamed };
}

export async function recommendForRecord(input: RecordInput): Promise<RecordRecommendation> {
  const { record, safety = true, formulary = Formulary.bundled(), fusion, ...rest } = input;
  const prompt = buildPrompt(record);
  // Parsed once for the safety plan and the note's evidence.
  const parsed = recordFromObject(record);
  const plan = safety ? safetyPlan(parsed, input.candidates, formulary) : null;
  const result = await recommendWithCausalLm({
    ...rest,
    prompt,
    options: { ...rest.options, ...(plan ? { mask: plan.mask } : {}) },
  });
  const search = { trajectory: result.trajectory, stopProbabilities: result.stopProbabilities };
  const base = { ...result, withheld: plan?.withheld ?? [], prompt, safety, search };
  if (!fusion) return { ...base, fused: false, fusedTrajectory: null };
  const fusedList = fuse({ ...search, ...noteEvidence(record, formulary, parsed), candidates: input.candidates, mask: plan?.mask }, fusion);
  return { ...base, trajectory: fusedList.trajectory, stopProbabilities: fusedList.stopProbabilities, fusedTrajectory: fusedList.trajectory, fused: true };
}
