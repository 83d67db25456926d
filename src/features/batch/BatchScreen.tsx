/** Placeholder until the batch feature lands (being built); the tab is visible but empty. */
export function BatchScreen() {
  return <section className="panel" data-testid="batch-screen" />;
}
