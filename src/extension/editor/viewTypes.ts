// The custom editors' view types (package.json contributes.customEditors), in a module of their own so that every
// part of the host can name them without importing the editor.
export const VIEW_TYPE_FILE = 'weightprint.checkpoint';
export const VIEW_TYPE_INDEX = 'weightprint.checkpointIndex';

/** Checkpoint files the editor opens: safetensors, GGUF and PyTorch's .bin / .pt / .pth (package.json's selectors). */
export const CHECKPOINT_EXTENSIONS = ['safetensors', 'gguf', 'bin', 'pt', 'pth'];
