"use client";
// The campaign form's queue strategy: the choice, a one-line description of it, and for a weighted mix one weight
// per strategy it can mix (validated with the server's schema when the form is sent).
import { mixableStrategies, queueStrategies, type QueueStrategy, type StrategyWeights } from "@cxr/domain";
import { FormField } from "@cxr/ui";
import { strategyDescriptions, withWeight } from "~/lib/campaigns";
import { Choice, plain } from "~/components/Choice";

export function StrategyFields(props: {
  strategy: QueueStrategy;
  weights: StrategyWeights | null;
  onChange: (strategy: QueueStrategy, weights: StrategyWeights | null) => void;
}) {
  const mix = props.strategy === "WEIGHTED_MIX";
  return (
    <div className="strategy-fields" style={{ gridColumn: "1 / -1" }}>
      <Choice
        label="Queue order"
        value={props.strategy}
        options={queueStrategies}
        text={plain}
        onChange={(strategy) =>
          // a mix starts from equal weights on uncertainty and coverage; other strategies keep none
          strategy &&
          props.onChange(
            strategy,
            strategy === "WEIGHTED_MIX" ? (props.weights ?? { ENTROPY: 1, DIVERSITY: 1 }) : null,
          )
        }
      />
      <p style={{ color: "var(--cxr-muted)" }} data-testid="strategy-description">
        {strategyDescriptions[props.strategy]}
      </p>
      {mix ? (
        <fieldset className="admin-form" aria-label="Strategy weights">
          {mixableStrategies.map((s) => (
            <FormField
              key={s}
              label={`Weight: ${plain(s)}`}
              type="number"
              min={0}
              step={0.5}
              value={props.weights?.[s] ?? 0}
              onChange={(e) =>
                props.onChange(props.strategy, withWeight(props.weights, s, Number(e.target.value)))
              }
            />
          ))}
        </fieldset>
      ) : null}
    </div>
  );
}
