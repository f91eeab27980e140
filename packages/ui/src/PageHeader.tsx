import { type ReactNode } from "react";

export interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}

/** The page's single <h1>, with an optional lead paragraph and actions. */
export function PageHeader({ title, description, actions }: PageHeaderProps) {
  return (
    <div className="cxr-page-header">
      <div>
        <h1 className="cxr-page-header__title">{title}</h1>
        {description ? <p className="cxr-page-header__description">{description}</p> : null}
      </div>
      {actions ? <div className="cxr-page-header__actions">{actions}</div> : null}
    </div>
  );
}
