// The browser signals a device id is derived from (entry-core `DeviceSignals` documents each).
// Collected on the page: the worker has no `screen`.
import type { DeviceSignals } from './core-types.js';

/** The unmasked GPU renderer, where the browser exposes it (null otherwise, or without WebGL). */
function webglRenderer(): string | null {
  try {
    const gl = document.createElement('canvas').getContext('webgl');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : null;
  } catch {
    return null;
  }
}

export function deviceSignals(): DeviceSignals {
  return {
    userAgent: navigator.userAgent,
    platform: navigator.platform,
    languages: [...navigator.languages],
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    screenWidth: screen.width,
    screenHeight: screen.height,
    colorDepth: screen.colorDepth,
    hardwareConcurrency: navigator.hardwareConcurrency,
    maxTouchPoints: navigator.maxTouchPoints,
    webglRenderer: webglRenderer(),
  };
}
