// The shown Grad-CAM map: its class, variant and model version, a spinner while it is computed on demand, and
// how it agrees with the readers' ROIs (pointing game strict and within 15 px, share of its energy inside).
import { type CaseData } from "~/lib/review/api-types";

type MapView = NonNullable<CaseData["prediction"]>["maps"][number];

const methodLabel = { GRADCAM: "Grad-CAM", GUIDED_GRADCAM: "Guided Grad-CAM" } as const;
const yesNo = (hit: boolean) => (hit ? "hit" : "miss");

export function MapFigures(p: {
  className: string | null;
  method: keyof typeof methodLabel;
  model: string;
  map: MapView | null;
  computing: boolean;
  error: string | null;
  queued: boolean;
}) {
  return (
    <section className="map-figures" aria-label="Grad-CAM against the ROIs" data-testid="map-figures">
      <h3>
        {methodLabel[p.method]} · {p.className ?? "no class"}{" "}
        <small data-testid="map-model">({p.model})</small>
      </h3>
      {p.computing ? (
        <p role="status" className="map-figures__spinner" data-testid="map-computing">
          <span className="spinner" aria-hidden /> Computing the map…
        </p>
      ) : p.error ? (
        <p role="alert">The map could not be computed: {p.error}</p>
      ) : p.queued ? (
        <p role="status">The map is queued; it appears when the inference service has computed it.</p>
      ) : !p.map ? (
        <p>No map for this class yet.</p>
      ) : p.map.camRoiAgreements.length === 0 ? (
        <p>No reader's ROIs of this class to compare with.</p>
      ) : (
        <table data-testid="pointing-figures">
          <thead>
            <tr>
              <th>Reader</th>
              <th title="the map's maximum inside an ROI">Pointing</th>
              <th title="the maximum within 15 image pixels of an ROI">15 px</th>
              <th title="share of the map's energy inside the ROIs">Energy inside</th>
            </tr>
          </thead>
          <tbody>
            {p.map.camRoiAgreements.map((a) => (
              <tr key={a.readId}>
                <td>{a.read.reader?.name ?? "imported"}</td>
                <td>{yesNo(a.pointingStrict)}</td>
                <td>{yesNo(a.pointingTolerant)}</td>
                <td>{(a.energyInside * 100).toFixed(0)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
