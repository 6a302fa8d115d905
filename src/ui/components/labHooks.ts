import { useEffect } from 'react';

/**
 * Behaviour every training lab shares: the transport keys, checkpoint downloads and dropping a
 * file anywhere on the page.
 */

/** Space = play/pause, → = one step; ignored while the user types in a field. */
export function useTransportKeys(play: () => void, pause: () => void, step: () => void, isRunning: () => boolean): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest('input, select, textarea, [contenteditable]')) return;
      if (e.key === ' ') {
        e.preventDefault();
        if (isRunning()) pause();
        else play();
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        step();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [play, pause, step, isRunning]);
}

/** Saves text as a file through the browser's download. */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Calls `onFile` with a file dropped anywhere on the page (and stops the browser from opening it). */
export function useFileDrop(onFile: (file: File) => void): void {
  useEffect(() => {
    const over = (e: DragEvent) => e.preventDefault();
    const drop = (e: DragEvent) => {
      e.preventDefault();
      const file = e.dataTransfer?.files[0];
      if (file) onFile(file);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [onFile]);
}
