import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  Alert,
  Button,
  Card,
  DataTable,
  EmptyState,
  FormField,
  NavBar,
  NavLink,
  PageHeader,
  RoleBadge,
  StatCard,
  StatGrid,
  StatusPill,
} from "../src";
import { type LinkLikeProps } from "../src/NavBar";

afterEach(cleanup);

describe("Button", () => {
  it("calls onClick and defaults to type=button", () => {
    const onClick = vi.fn();
    render(<Button onClick={onClick}>Save</Button>);
    const button = screen.getByRole("button", { name: "Save" });
    expect(button.getAttribute("type")).toBe("button");
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledOnce();
  });

  it("is disabled and busy while loading", () => {
    const onClick = vi.fn();
    render(
      <Button loading onClick={onClick}>
        Signing in
      </Button>,
    );
    const button = screen.getByRole("button", { name: "Signing in" });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(button.getAttribute("aria-busy")).toBe("true");
    fireEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
  });
});

describe("Card", () => {
  it("is a region named by its title", () => {
    render(<Card title="Model status">body</Card>);
    expect(screen.getByRole("region", { name: "Model status" }).textContent).toContain("body");
  });
});

describe("NavBar and NavLink", () => {
  it("marks only the active link as the current page", () => {
    render(
      <NavBar brand="CXR Review" end={<span>Rosa</span>}>
        <NavLink href="/worklist" active>
          Worklist
        </NavLink>
        <NavLink href="/tasks">Annotation tasks</NavLink>
      </NavBar>,
    );
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(nav).toBeTruthy();
    expect(screen.getByRole("link", { name: "Worklist" }).getAttribute("aria-current")).toBe("page");
    expect(screen.getByRole("link", { name: "Annotation tasks" }).getAttribute("aria-current")).toBeNull();
    expect(screen.getByText("Rosa")).toBeTruthy();
  });

  it("renders through a router's link component when given one", () => {
    const seen: string[] = [];
    function RouterLink(props: LinkLikeProps) {
      seen.push(props.href);
      return <a data-router="yes" {...props} />;
    }
    render(
      <ul>
        <NavLink href="/admin" linkComponent={RouterLink}>
          Administration
        </NavLink>
      </ul>,
    );
    expect(seen).toEqual(["/admin"]);
    expect(screen.getByRole("link", { name: "Administration" }).getAttribute("data-router")).toBe("yes");
  });
});

describe("RoleBadge", () => {
  it("shows a readable role name", () => {
    render(<RoleBadge role="RADIOLOGIST" />);
    expect(screen.getByText("Radiologist").getAttribute("data-role")).toBe("RADIOLOGIST");
  });
});

describe("StatusPill", () => {
  it("carries its tone and an accessible label", () => {
    render(
      <StatusPill tone="error" label="Inference">
        down
      </StatusPill>,
    );
    const pill = screen.getByText("down");
    expect(pill.getAttribute("data-tone")).toBe("error");
    expect(pill.textContent).toBe("Inference: down");
  });
});

describe("FormField", () => {
  it("labels its input and describes it by its error", () => {
    const onChange = vi.fn();
    render(<FormField label="E-mail" type="email" error="Required" onChange={onChange} />);
    const input = screen.getByLabelText("E-mail");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const describedBy = input.getAttribute("aria-describedby") ?? "";
    expect(document.getElementById(describedBy)?.textContent).toBe("Required");
    fireEvent.change(input, { target: { value: "a@b.c" } });
    expect(onChange).toHaveBeenCalledOnce();
  });
});

describe("EmptyState, Alert, PageHeader, StatCard", () => {
  it("render their content with the right roles", () => {
    render(
      <>
        <PageHeader title="Worklist" description="Studies waiting" />
        <Alert tone="error">Wrong e-mail or password.</Alert>
        <EmptyState title="Nothing to read" description="All caught up" />
        <StatGrid label="Counts">
          <StatCard label="Images" value={42} />
        </StatGrid>
      </>,
    );
    expect(screen.getByRole("heading", { level: 1, name: "Worklist" })).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toBe("Wrong e-mail or password.");
    expect(screen.getByRole("status").textContent).toContain("Nothing to read");
    expect(screen.getByText("42")).toBeTruthy();
  });
});

describe("DataTable", () => {
  const columns = [
    { key: "name", header: "Name", cell: (r: { id: number; name: string }) => r.name },
    { key: "id", header: "Id", cell: (r: { id: number; name: string }) => r.id },
  ];

  it("renders a header row and one row per item", () => {
    render(
      <DataTable
        caption="Users"
        columns={columns}
        rows={[
          { id: 1, name: "Ada" },
          { id: 2, name: "Rosa" },
        ]}
        rowKey={(r) => r.id}
      />,
    );
    expect(screen.getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Name", "Id"]);
    expect(screen.getAllByRole("row")).toHaveLength(3);
  });

  it("shows the empty state instead of an empty table", () => {
    render(
      <DataTable caption="Users" columns={columns} rows={[]} rowKey={(r) => r.id} empty={<p>No users</p>} />,
    );
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.getByText("No users")).toBeTruthy();
  });
});
