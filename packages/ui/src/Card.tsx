import { useId, type HTMLAttributes, type ReactNode } from "react";
import { cx } from "./cx";

export interface CardProps extends Omit<HTMLAttributes<HTMLElement>, "title"> {
  title?: ReactNode;
  /** Controls shown at the right of the title row. */
  actions?: ReactNode;
}

export function Card({ title, actions, className, children, ...rest }: CardProps) {
  const titleId = useId();
  return (
    <section className={cx("cxr-card", className)} aria-labelledby={title ? titleId : undefined} {...rest}>
      {title || actions ? (
        <header className="cxr-card__header">
          {title ? (
            <h2 id={titleId} className="cxr-card__title">
              {title}
            </h2>
          ) : null}
          {actions ? <div className="cxr-card__actions">{actions}</div> : null}
        </header>
      ) : null}
      <div className="cxr-card__body">{children}</div>
    </section>
  );
}
