/**
 * Day (high contrast) and night (dark, red-shifted, low luminance). The choice is a display
 * preference, not patient data, so it is kept on the tablet.
 */
const KEY = 'hema3n.theme';

/** @returns {'day' | 'night'} */
export function currentTheme() {
  return document.documentElement.dataset.theme === 'night' ? 'night' : 'day';
}

/** @param {'day' | 'night'} theme */
export function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', theme === 'night' ? '#0a0201' : '#0b1d33');
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Private mode: the choice lasts until reload.
  }
  window.dispatchEvent(new CustomEvent('hema3n:theme', { detail: theme }));
}

export function restoreTheme() {
  let saved = null;
  try {
    saved = localStorage.getItem(KEY);
  } catch {
    saved = null;
  }
  applyTheme(saved === 'night' ? 'night' : 'day');
}

export function toggleTheme() {
  applyTheme(currentTheme() === 'night' ? 'day' : 'night');
}

/** Reads a theme colour for canvas and chart drawing. @param {string} name e.g. '--ecg' */
export function themeColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
