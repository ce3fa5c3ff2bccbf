import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * A file field drawn as a drop zone. Without JavaScript it is the plain file
 * input it contains (which browsers also let you drop onto); with it, a file
 * dropped anywhere on the zone goes into that input, and the zone shows the
 * chosen file's name. The input keeps its own label, so screen readers meet
 * an ordinary file field.
 */
export function FileDrop({
  id,
  name,
  accept,
  describedBy,
  invalid,
}: {
  id: string;
  name: string;
  accept: string;
  describedBy?: string;
  invalid?: true | undefined;
}) {
  const { t } = useTranslation("common");
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <div
      className={`drop-zone${over ? " over" : ""}`}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        if (input.current && event.dataTransfer.files.length) {
          input.current.files = event.dataTransfer.files;
          setChosen(event.dataTransfer.files[0]?.name ?? null);
        }
      }}
    >
      <p className="drop-hint">{t("fileDrop.hint")}</p>
      <input
        ref={input}
        id={id}
        name={name}
        type="file"
        accept={accept}
        required
        aria-describedby={describedBy}
        aria-invalid={invalid}
        onChange={(event) => setChosen(event.target.files?.[0]?.name ?? null)}
      />
      {chosen ? (
        <p className="drop-chosen" aria-live="polite">
          <bdi>{chosen}</bdi>
        </p>
      ) : null}
    </div>
  );
}
