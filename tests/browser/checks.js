// What a person would notice, measured in the browser from computed styles.
// Injected into each audited page; every function returns plain data for pytest.
window.hubChecks = (() => {
  const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
  const INTERACTIVE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="link"], [tabindex]:not([tabindex="-1"])';

  function describe(el) {
    if (!el || el === document.body) return "body";
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && parts.length < 4; node = node.parentElement) {
      let part = node.localName;
      if (node.id) { parts.unshift(`${part}#${node.id}`); break; }
      const classes = [...node.classList].slice(0, 2);
      if (classes.length) part += "." + classes.join(".");
      parts.unshift(part);
    }
    const text = (el.textContent || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return parts.join(" > ") + (text ? ` "${text}"` : "");
  }

  function isShown(el) {
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    const rect = el.getBoundingClientRect();
    // `.visually-hidden` clips to 1 px: present for screen readers, invisible on screen.
    return rect.width > 1 && rect.height > 1;
  }

  function ownText(el) {
    return [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.nodeValue).join("").trim();
  }

  // --- colour -----------------------------------------------------------------
  function parseColor(value) {
    const m = value && value.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  }
  const colorsIn = (value) => (value.match(/rgba?\([^)]+\)/g) || []).map(parseColor);
  function over(top, bottom) {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  }
  function luminance([r, g, b]) {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function ratio(a, b) {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  }
  const css = (c) => `rgb(${c.slice(0, 3).map(Math.round).join(",")})`;

  // The colours that can sit behind `el`: its own and its ancestors' backgrounds
  // composited down to the first opaque one; a gradient contributes every stop.
  // Returns null when an image is behind the text (its colours are unknown).
  function backdrops(el) {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage.includes("url(")) return null;
      const stops = colorsIn(style.backgroundImage);
      if (stops.length) { layers.push(stops); break; }
      const color = parseColor(style.backgroundColor);
      if (color && color[3] > 0) {
        layers.push([color]);
        if (color[3] >= 1) break;
      }
    }
    let result = [[255, 255, 255, 1]];
    for (const layer of layers.reverse()) {
      result = layer.flatMap((top) => result.map((bottom) => over(top, bottom)));
    }
    return result;
  }

  function opacity(el) {
    let value = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) value *= Number(getComputedStyle(node).opacity);
    return value;
  }

  // WCAG 1.4.3 for every visible text node, in any script: axe-core skips much
  // Arabic text (its icon-ligature heuristic), so this runs in every language.
  function contrast() {
    const failures = [];
    const seen = new Set();
    let checked = 0, unknown = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.nodeValue.trim() || seen.has(el)) continue;
      seen.add(el);
      if (el.closest("script, style, noscript, title, [aria-hidden='true'] title") || !isShown(el)) continue;
      const style = getComputedStyle(el);
      const isSvgText = el instanceof SVGElement;
      let fg = parseColor(isSvgText ? style.fill : style.color);
      if (!fg) { unknown++; continue; }
      fg = [...fg.slice(0, 3), fg[3] * opacity(el)];
      let backs;
      if (isSvgText && style.stroke !== "none" && style.paintOrder.startsWith("stroke") && parseFloat(style.strokeWidth) >= 2) {
        backs = [parseColor(style.stroke)];  // a halo drawn under the glyphs is their backdrop
      } else if (isSvgText) {
        const box = el.getBoundingClientRect();
        const below = document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)
          .find((n) => n !== el && !el.contains(n) && n instanceof SVGGeometryElement && parseColor(getComputedStyle(n).fill));
        backs = below ? [parseColor(getComputedStyle(below).fill)] : backdrops(el);
      } else {
        backs = backdrops(el);
      }
      if (!backs) { unknown++; continue; }
      checked++;
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const required = large ? 3 : 4.5;
      const worst = Math.min(...backs.map((back) => ratio(over(fg, back), back)));
      if (worst < required - 0.005) {
        failures.push({ element: describe(el), ratio: Math.round(worst * 100) / 100, required, color: css(fg), background: backs.map(css).join(" … ") });
      }
    }
    return { checked, unknown, failures };
  }

  // --- direction ----------------------------------------------------------------
  // On an Arabic page every element with Arabic text of its own renders right to
  // left, unless an element below <html> deliberately sets `dir` or `lang` for it
  // (foreign-language text, the map's geographic layout). Arabic text is never
  // marked as another language: a screen reader would read it with the wrong voice.
  function direction() {
    const ltr = [], mislabelled = [];
    for (const el of document.body.querySelectorAll("*")) {
      const text = ownText(el);
      if (!ARABIC.test(text)) continue;
      const marked = el.closest("[lang], [dir]");
      const deliberate = marked && marked !== document.documentElement;
      const language = el.closest("[lang]")?.getAttribute("lang") || "";
      const letters = [...text].filter((ch) => /\p{L}/u.test(ch));
      const arabic = letters.filter((ch) => ARABIC.test(ch)).length;
      if (!language.startsWith("ar") && arabic * 2 >= letters.length) {
        mislabelled.push(`${describe(el)} lang=${language || "(none)"}`);
      }
      if (!deliberate && getComputedStyle(el).direction !== "rtl" && isShown(el)) ltr.push(describe(el));
    }
    return { ltr, mislabelled, html: document.documentElement.dir, computed: getComputedStyle(document.body).direction };
  }

  // --- overflow -------------------------------------------------------------------
  function overflow() {
    const root = document.documentElement;
    const width = root.clientWidth;
    const offenders = [];
    if (root.scrollWidth > width) {
      for (const el of document.body.querySelectorAll("*")) {
        const rect = el.getBoundingClientRect();
        if ((rect.right > width + 1 || rect.left < -1) && rect.width > 0 && isShown(el)) offenders.push(`${describe(el)} [${Math.round(rect.left)}..${Math.round(rect.right)}]`);
        if (offenders.length >= 8) break;
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, offenders };
  }

  // --- target size (WCAG 2.5.8) ---------------------------------------------------
  // A target passes at 24 x 24 CSS px, or when a 24 px circle centred on it meets
  // no other target and no other undersized target's circle (spacing exception),
  // or when it is a link inside a sentence (inline exception).
  function inSentence(el) {
    if (el instanceof SVGElement || getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    const around = (block?.textContent || "").replace(el.textContent, "").replace(/\s+/g, "");
    return around.length >= 2;  // the line holds other words, so the link is a part of a sentence
  }
  function targets(exclude) {
    const all = [...document.querySelectorAll(INTERACTIVE)].filter((el) => isShown(el) && !(exclude && el.matches(exclude)));
    const boxes = all.map((el) => ({ el, rect: el.getBoundingClientRect() }));
    const small = boxes.filter(({ el, rect }) => (rect.width < 23.99 || rect.height < 23.99) && !inSentence(el));
    const centre = (r) => [r.x + r.width / 2, r.y + r.height / 2];
    const circleMeetsRect = ([cx, cy], r) => {
      const dx = Math.max(r.left - cx, 0, cx - r.right), dy = Math.max(r.top - cy, 0, cy - r.bottom);
      return dx * dx + dy * dy < 144;
    };
    const failures = [];
    for (const target of small) {
      const c = centre(target.rect);
      const clash = boxes.find((other) => other.el !== target.el && !other.el.contains(target.el) && !target.el.contains(other.el)
        && (circleMeetsRect(c, other.rect)
          || (small.includes(other) && Math.hypot(c[0] - centre(other.rect)[0], c[1] - centre(other.rect)[1]) < 24)));
      if (clash) failures.push(`${describe(target.el)} is ${Math.round(target.rect.width)}x${Math.round(target.rect.height)} px, too close to ${describe(clash.el)}`);
    }
    // Overlapping targets: a tap meant for one may land on the other.
    const blocks = boxes.filter(({ el }) => !inSentence(el));
    blocks.forEach((a, i) => blocks.slice(i + 1).forEach((b) => {
      if (a.el.contains(b.el) || b.el.contains(a.el)) return;
      const w = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
      const h = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
      if (w > 2 && h > 2) failures.push(`${describe(a.el)} overlaps ${describe(b.el)} by ${Math.round(w)}x${Math.round(h)} px`);
    }));
    return { checked: all.length, failures };
  }

  // What is painted at a point, ignoring `el` and what it holds: an SVG shape's
  // fill, or the backgrounds behind the element found there.
  function paintedAt(x, y, el) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return null;
    const found = document.elementsFromPoint(x, y).find((n) => n !== el && !el.contains(n));
    if (!found) return null;
    const fill = found instanceof SVGGeometryElement && parseColor(getComputedStyle(found).fill);
    if (fill && fill[3] > 0) return [fill];
    return backdrops(found);
  }

  // --- focus ------------------------------------------------------------------------
  const FOCUS_PROPS = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "borderColor", "backgroundColor", "textDecorationLine"];
  function focusStyle(el) {
    const style = getComputedStyle(el);
    return Object.fromEntries(FOCUS_PROPS.map((p) => [p, style[p]]));
  }
  // The colours an outline is drawn on: sampled at the middle of each side of
  // the focused element, where the outline lies (WCAG 1.4.11's "adjacent
  // colours"), so a positioned element such as the skip link, shown over the
  // header, is measured against the header rather than its parent in the DOM.
  function outlineBackdrops(el) {
    const style = getComputedStyle(el);
    const away = Math.max(2, parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) / 2);
    const r = el.getBoundingClientRect();
    const [cx, cy] = [r.x + r.width / 2, r.y + r.height / 2];
    const points = [[r.left - away, cy], [r.right + away, cy], [cx, r.top - away], [cx, r.bottom + away]];
    const backs = points.flatMap(([x, y]) => paintedAt(x, y, el) || []);
    return backs.length ? backs : backdrops(el.parentElement || el) || [[255, 255, 255, 1]];
  }
  function focusable() {
    return [...document.querySelectorAll(INTERACTIVE)].filter((el) => !el.disabled && !el.closest("[inert]") && (isShown(el) || el.matches(".skip-link")));
  }
  // Called after each Tab: describes the focused element and compares the
  // previous one's focused style with its style now that focus has left it.
  function focusStep() {
    const el = document.activeElement;
    const previous = window.__hubFocus;
    let verdict = null;
    if (previous) {
      const before = previous.focused, after = focusStyle(previous.el);
      const outline = before.outlineStyle !== "none" && parseFloat(before.outlineWidth) >= 1 && (parseColor(before.outlineColor) || [0, 0, 0, 0])[3] > 0;
      const changed = FOCUS_PROPS.filter((p) => before[p] !== after[p]);
      const indicator = outline ? "outline" : ["boxShadow", "borderColor", "backgroundColor", "textDecorationLine"].find((p) => changed.includes(p)) || null;
      let indicatorContrast = null, worstBackdrop = null;
      if (outline) {
        const color = parseColor(before.outlineColor);
        const measured = previous.backdrops.map((b) => [ratio(over(color, b), b), b]).sort((a, b) => a[0] - b[0]);
        [indicatorContrast, worstBackdrop] = [measured[0][0], css(measured[0][1])];
      }
      verdict = { element: previous.description, indicator, indicatorContrast, outlineColor: before.outlineColor, backdrop: worstBackdrop, inHeader: !!previous.el.closest("header"), focusVisible: previous.focusVisible };
    }
    const description = describe(el);
    window.__hubFocus = el && el !== document.body
      ? { el, description, focused: focusStyle(el), focusVisible: el.matches(":focus-visible"), backdrops: outlineBackdrops(el) }
      : null;
    return { element: description, isBody: !el || el === document.body, index: focusable().indexOf(el), verdict };
  }
  function focusableDescriptions() { return focusable().map(describe); }

  // --- boundaries of form fields (WCAG 1.4.11) -------------------------------------------
  // A text field must be seen as one: its border at least 3:1 against the
  // field's own background, and the field (border or background) at least 3:1
  // against what surrounds it.
  function fieldBoundaries(selector) {
    return [...document.querySelectorAll(selector)].filter(isShown).map((el) => {
      const style = getComputedStyle(el);
      const border = parseColor(style.borderTopColor);
      const width = parseFloat(style.borderTopWidth);
      const inside = backdrops(el) || [[255, 255, 255, 1]];
      const surrounding = outlineBackdrops(el);
      const worst = (top, backs) => Math.min(...backs.map((b) => ratio(over(top, b), b)));
      const borderInside = width >= 1 && border ? Math.min(...inside.map((i) => worst(border, [i]))) : 1;
      const borderOutside = width >= 1 && border ? worst(border, surrounding) : 1;
      const fieldOutside = Math.min(...inside.map((i) => worst(i, surrounding)));
      return {
        element: describe(el), border: style.borderTopColor, borderWidth: width,
        background: inside.map(css).join(" … "), surrounding: surrounding.map(css).join(" … "),
        borderInside: Math.round(borderInside * 100) / 100,
        outside: Math.round(Math.max(borderOutside, fieldOutside) * 100) / 100,
      };
    });
  }

  return { contrast, direction, overflow, targets, focusStep, focusableDescriptions, describe, fieldBoundaries };
})();
