// One file of the upload list: its name, size and state, its progress while sending, and the server's answer.
import { ProgressBar, StatusPill } from "@cxr/ui";
import { formatBytes } from "~/lib/format";
import { type UploadFileResult } from "~/lib/upload/protocol";
import { phaseLabel, resultLabels, type UploadItem } from "./model";

export function UploadRow({ item }: { item: UploadItem }) {
  const { phase } = item;
  const pill = phaseLabel(phase);
  return (
    <li className="upload-item" data-phase={phase.name}>
      <div className="upload-item__head">
        <span className="upload-item__name" title={item.path}>
          {item.path}
        </span>
        <span className="upload-item__size">{formatBytes(item.size)}</span>
        <StatusPill tone={pill.tone}>{pill.text}</StatusPill>
      </div>
      {phase.name === "uploading" ? (
        phase.loaded >= phase.total ? (
          <ProgressBar label={`Processing ${item.path}`} valueText="checking and storing on the server" />
        ) : (
          <ProgressBar
            label={`Upload of ${item.path}`}
            value={phase.loaded}
            max={phase.total}
            valueText={`${formatBytes(phase.loaded)} of ${formatBytes(phase.total)}`}
          />
        )
      ) : null}
      {phase.name === "refused" || phase.name === "failed" ? (
        <p className="upload-item__message">{phase.message}</p>
      ) : null}
      {phase.name === "busy" ? (
        <p className="upload-item__message upload-item__message--busy" role="status">
          {phase.message}
        </p>
      ) : null}
      {phase.name === "done" ? <Results results={phase.results} /> : null}
    </li>
  );
}

/** The server's answer: one line for a single image, one line per member for a zip. */
function Results({ results }: { results: UploadFileResult[] }) {
  const [only] = results;
  if (results.length === 1 && only) {
    return only.message ? <Message status={only.status} text={only.message} /> : null;
  }
  return (
    <ul className="upload-members" aria-label="Files in the archive">
      {results.map((r) => (
        <li key={r.name}>
          <StatusPill tone={resultLabels[r.status].tone}>{resultLabels[r.status].text}</StatusPill>{" "}
          <span className="upload-item__name">{r.name}</span>
          {r.message ? <Message status={r.status} text={r.message} /> : null}
        </li>
      ))}
    </ul>
  );
}

function Message({ status, text }: { status: UploadFileResult["status"]; text: string }) {
  return <p className={`upload-item__message upload-item__message--${status.toLowerCase()}`}>{text}</p>;
}
