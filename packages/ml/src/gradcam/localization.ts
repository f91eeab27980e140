// The pointing game and energy inside the ROI live in @cxr/agreement (pure, no tfjs), so the web app and the
// inference service score stored maps exactly as the ML CLI does.
export {
  scoreLocalization,
  summarizeLocalization,
  type LocalizationScore,
  type LocalizationSummary,
} from "@cxr/agreement";
