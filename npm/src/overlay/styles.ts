// The overlay's look. Every colour, radius and font is a CSS custom property the host page can set
// on any ancestor of the overlay (they inherit into its shadow root), e.g.
//   .login { --entry-accent: #0a7d43; --entry-radius: 4px; }
export const OVERLAY_CSS = `
:host {
  --_accent: var(--entry-accent, #2563eb);
  --_success: var(--entry-success, #15803d);
  --_error: var(--entry-error, #b91c1c);
  --_fg: var(--entry-foreground, #111827);
  --_bg: var(--entry-background, #ffffff);
  --_shade: var(--entry-shade, rgba(17, 24, 39, 0.55));
  --_radius: var(--entry-radius, 16px);
  display: block;
  max-width: var(--entry-max-width, 480px);
  font: var(--entry-font, 500 1rem/1.4 system-ui, sans-serif);
  color: var(--_fg);
  background: var(--_bg);
  border-radius: var(--_radius);
  overflow: hidden;
  box-shadow: 0 4px 24px rgba(0, 0, 0, 0.12);
}
.frame { position: relative; aspect-ratio: 4 / 3; background: #000; }
video { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; transform: scaleX(-1); }
svg { position: absolute; inset: 0; width: 100%; height: 100%; }
.shade { fill: var(--_shade); }
.oval { fill: none; stroke: #fff; stroke-width: 0.8; transition: stroke 0.2s; }
:host([data-state='collecting'][data-guidance='good']) .oval,
:host([data-state='challenge']) .oval { stroke: var(--_accent); }
:host([data-state='success']) .oval { stroke: var(--_success); }
:host([data-state='failure']) .oval { stroke: var(--_error); }
.cancel {
  position: absolute; top: 0.75rem; right: 0.75rem; padding: 0.4rem 0.9rem; border: 0;
  border-radius: calc(var(--_radius) / 2); background: rgba(255, 255, 255, 0.9); color: #111827; font: inherit; cursor: pointer;
}
.cancel:focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
.challenge {
  position: absolute; left: 0; right: 0; bottom: 0.75rem; display: flex; flex-direction: column; align-items: center;
  gap: 0.25rem; color: #fff; text-shadow: 0 1px 3px rgba(0, 0, 0, 0.8);
}
.challenge[hidden] { display: none; }
.arrow { font-size: 2.5rem; line-height: 1; }
.status { padding: 0.75rem 1rem 0.5rem; min-height: 1.4em; text-align: center; }
:host([data-state='failure']) .status { color: var(--_error); }
:host([data-state='success']) .status { color: var(--_success); }
.progress { height: 6px; margin: 0 1rem 1rem; border-radius: 3px; background: rgba(127, 127, 127, 0.25); overflow: hidden; }
.bar { height: 100%; width: 0; background: var(--_accent); transition: width 0.15s linear; }
@media (prefers-reduced-motion: reduce) { .oval, .bar { transition: none; } }
`;
