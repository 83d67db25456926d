/** Placeholder until the models feature lands (being built); the tab is visible but empty. */
export function ModelsScreen() {
  return <section className="panel" data-testid="models-screen" />;
}
