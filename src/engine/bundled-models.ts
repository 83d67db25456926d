/**
 * The model folders shipped with the app (models/<id>/ → dist/models/<id>/), listed at build
 * time by the `dischargerx-assets` plugin in vite.config.ts: nothing here names a particular
 * model, so replacing the folder (or adding another) needs no code change.
 */
import generated from 'virtual:dischargerx/bundled-models';
import { DTYPE_FILE, isLoadFile, type ModelDtype, type ModelManifest } from '../model-folder/format.ts';

export interface BundledModelFile {
  /** Path inside the folder, e.g. "onnx/model_quantized.onnx". */
  path: string;
  size: number;
}

export interface BundledModel {
  id: string;
  /** Declared version (manifest.json / config.json dischargerx.version) or a content hash. */
  version: string;
  /** Relative to the app base, with trailing slash: "models/<id>/". */
  basePath: string;
  files: BundledModelFile[];
  modelType: string | null;
  /** A random-weight test fixture, not a trained model (the UI says so). */
  fixture: boolean;
  /**
   * The folder's integrity manifest (training's export writes it), embedded by the build: the
   * worker checks every first download against it. null for a folder without one.
   */
  manifest: ModelManifest | null;
}

export const BUNDLED_MODELS: readonly BundledModel[] = generated;

/** The model the app uses by default: the first non-fixture folder, else the first one. */
export const DEFAULT_MODEL_ID: string | null =
  (BUNDLED_MODELS.find((m) => !m.fixture) ?? BUNDLED_MODELS[0])?.id ?? null;

export function findBundledModel(id: string): BundledModel | undefined {
  return BUNDLED_MODELS.find((m) => m.id === id);
}

/** Weights variants the folder ships. */
export function availableDtypes(model: Pick<BundledModel, 'files'>): ModelDtype[] {
  const paths = new Set(model.files.map((f) => f.path));
  return (Object.keys(DTYPE_FILE) as ModelDtype[]).filter((d) => paths.has(DTYPE_FILE[d]));
}

/** Bytes a load of `dtype` downloads: weights file (+ external data) and the top-level JSON files. */
export function downloadSize(model: Pick<BundledModel, 'files'>, dtype: ModelDtype): number {
  return model.files.filter((f) => isLoadFile(f.path, dtype)).reduce((n, f) => n + f.size, 0);
}
