// The silo map's network graph: teams on a circle, a line for each pair that works
// together (thicker for more handoffs and shared wins) and a dashed line for each silo.
// Drawn as SVG from the page's json_script data (CSP forbids inline scripts); each line
// is a link to the pair's page, reachable by keyboard. The matrix table beside it holds
// the same figures, so the page works without this file.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 660; // the viewBox's width; the picture scales to its box

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function title(parent, text) {
    el("title", {}, parent).textContent = text;
  }

  // Long team names on two or three short lines, so they fit beside the circle.
  function lines(name, maxChars) {
    var out = [];
    var line = "";
    name.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > maxChars) {
        out.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) out.push(line);
    return out;
  }

  // Sizes in viewBox units for the box's width in pixels: text stays 11 to 12.5 px
  // whatever the width, and on a phone the circle shrinks to leave the labels room.
  function geometry(boxWidth) {
    var narrow = boxWidth < 480;
    var px = WIDTH / Math.max(boxWidth, 240);
    var font = Math.max(15, (narrow ? 11 : 12.5) * px);
    var maxChars = narrow ? 10 : 13;
    var radius = Math.max(90, Math.min(185, WIDTH / 2 - maxChars * 0.56 * font - 26 * px));
    var margin = 24 * px + 3.6 * font;
    return {
      px: px, font: font, maxChars: maxChars, radius: radius,
      height: 2 * (radius + margin), cx: WIDTH / 2, cy: radius + margin,
    };
  }

  function place(nodes, g) {
    var spots = {};
    nodes.forEach(function (node, n) {
      var angle = -Math.PI / 2 + (2 * Math.PI * n) / nodes.length;
      spots[node.id] = { x: g.cx + g.radius * Math.cos(angle), y: g.cy + g.radius * Math.sin(angle), angle: angle };
    });
    return spots;
  }

  function drawEdges(svg, data, spots, g) {
    var group = el("g", { "class": "silo-graph__edges" }, svg);
    var top = Math.max(data.max, 1);
    data.edges.forEach(function (edge) {
      var from = spots[edge.a];
      var to = spots[edge.b];
      if (!from || !to) return;
      var link = el("a", { href: edge.url, "aria-label": edge.label, "class": "silo-graph__link" }, group);
      title(link, edge.label);
      var volume = edge.handoffs + edge.shared_wins;
      var width = (edge.silo ? 2 : 1.5 + (7 * volume) / top) * g.px;
      var line = { x1: from.x.toFixed(1), y1: from.y.toFixed(1), x2: to.x.toFixed(1), y2: to.y.toFixed(1) };
      // A wide transparent twin makes a thin line easy to point at.
      el("line", Object.assign({ "class": "silo-graph__hit", "stroke-width": (14 * g.px).toFixed(1) }, line), link);
      el("line", Object.assign({
        "class": edge.silo ? "silo-graph__edge silo-graph__edge--silo" : "silo-graph__edge",
        "stroke-width": width.toFixed(1),
        "stroke-dasharray": edge.silo ? (6 * g.px).toFixed(1) + " " + (4 * g.px).toFixed(1) : "none",
      }, line), link);
      if (!edge.silo && volume) {
        var label = el("text", {
          x: ((from.x + to.x) / 2).toFixed(1),
          y: ((from.y + to.y) / 2).toFixed(1),
          "class": "silo-graph__count",
          "font-size": (0.85 * g.font).toFixed(1),
          "stroke-width": (3 * g.px).toFixed(1),
          "text-anchor": "middle",
          "dominant-baseline": "central",
        }, link);
        label.textContent = String(volume);
      }
    });
  }

  function drawNodes(svg, data, spots, g) {
    var group = el("g", { "class": "silo-graph__nodes" }, svg);
    var top = Math.max.apply(null, data.nodes.map(function (n) { return n.volume; }).concat([1]));
    var leading = 1.15 * g.font;
    data.nodes.forEach(function (node) {
      var spot = spots[node.id];
      var item = el("g", { "class": "silo-graph__node" }, group);
      title(item, node.name + ": " + node.volume + " handoffs and shared wins with other teams");
      var r = (7 + (7 * node.volume) / top) * g.px;
      el("circle", { cx: spot.x.toFixed(1), cy: spot.y.toFixed(1), r: r.toFixed(1), "stroke-width": (2 * g.px).toFixed(1) }, item);
      var cos = Math.cos(spot.angle);
      var sin = Math.sin(spot.angle);
      var anchor = Math.abs(cos) < 0.3 ? "middle" : cos > 0 ? "start" : "end";
      var parts = lines(node.name, g.maxChars);
      var gap = r + 6 * g.px;
      var lx = spot.x + gap * cos;
      // Below the node the first line starts under it; above, the last line ends over it.
      var ly = spot.y + gap * sin;
      if (sin > 0.3) ly += 0.8 * g.font;
      else if (sin < -0.3) ly -= leading * (parts.length - 1);
      else ly += 0.35 * g.font - (leading * (parts.length - 1)) / 2;
      var text = el("text", {
        x: lx.toFixed(1), y: ly.toFixed(1), "text-anchor": anchor, "font-size": g.font.toFixed(1), "class": "silo-graph__name",
      }, item);
      parts.forEach(function (part, n) {
        el("tspan", { x: lx.toFixed(1), dy: n ? leading.toFixed(1) : "0" }, text).textContent = part;
      });
    });
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-silo-graph"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    container.textContent = "";
    if (!data.nodes.length) return;
    var g = geometry(container.clientWidth || 600);
    var svg = el("svg", {
      viewBox: "0 0 " + WIDTH + " " + g.height.toFixed(0),
      "class": "silo-graph__svg",
      role: "group",
      "aria-label": "Network graph of the teams: each line links to the pair's page. The table below has the same figures.",
    }, container);
    var spots = place(data.nodes, g);
    drawEdges(svg, data, spots, g);
    drawNodes(svg, data, spots, g);
    if (!data.edges.length) {
      var empty = document.createElement("p");
      empty.className = "muted";
      empty.textContent = "No team worked with another in this period, and no pair shares customers or functions.";
      container.appendChild(empty);
    }
  }

  function start() {
    document.querySelectorAll("[data-silo-graph]").forEach(draw);
    var width = window.innerWidth;
    var timer = null;
    window.addEventListener("resize", function () {
      if (window.innerWidth === width) return;
      width = window.innerWidth;
      clearTimeout(timer);
      timer = setTimeout(function () { document.querySelectorAll("[data-silo-graph]").forEach(draw); }, 200);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
