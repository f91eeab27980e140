// Where files come from: dropped files and folders, or the file and folder pickers.
import { Button, DropZone } from "@cxr/ui";
import { type ChangeEvent, useEffect, useRef } from "react";
import { formatBytes } from "~/lib/format";
import { filesFromDrop, filesFromInput, type PickedFile } from "~/lib/upload/entries";

export function UploadDropZone({
  maxFileBytes,
  onFiles,
}: {
  maxFileBytes: number;
  onFiles: (picked: PickedFile[]) => void;
}) {
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    folderInput.current?.setAttribute("webkitdirectory", "");
  }, []);

  // A file dropped beside the zone would make the browser open it and leave the page, cancelling uploads.
  useEffect(() => {
    const swallow = (event: DragEvent) => {
      if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
    };
    window.addEventListener("dragover", swallow);
    window.addEventListener("drop", swallow);
    return () => {
      window.removeEventListener("dragover", swallow);
      window.removeEventListener("drop", swallow);
    };
  }, []);

  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    onFiles(filesFromInput(event.currentTarget.files ?? []));
    event.currentTarget.value = ""; // picking the same file again must fire change
  };

  return (
    <DropZone
      label="Upload images"
      title="Drop files or folders here"
      description={`PNG, JPEG, DICOM or zip, up to ${formatBytes(maxFileBytes)} per file. Folders are searched; system files such as .DS_Store are skipped.`}
      onDrop={(dataTransfer) => {
        const files = dataTransfer.items?.length
          ? filesFromDrop(dataTransfer.items)
          : Promise.resolve(filesFromInput(dataTransfer.files));
        void files.then(onFiles);
      }}
    >
      <Button variant="secondary" onClick={() => filesInput.current?.click()}>
        Choose files
      </Button>
      <Button variant="secondary" onClick={() => folderInput.current?.click()}>
        Choose a folder
      </Button>
      {/* no `accept`: DICOM files often have no extension and would be greyed out in the picker */}
      <input ref={filesInput} type="file" multiple hidden aria-label="Files to upload" onChange={picked} />
      <input ref={folderInput} type="file" multiple hidden aria-label="Folder to upload" onChange={picked} />
    </DropZone>
  );
}
