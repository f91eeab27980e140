// Placeholder: the campaign's agreement figures (kappa, consensus) are written by the consensus work.
export function AgreementSection(_props: { campaignId: string }) {
  return <h2>Agreement</h2>;
}
