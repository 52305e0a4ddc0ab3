#include "style.hpp"

namespace recount::report::detail {

// System fonts only: the report fetches nothing, so no web fonts.
std::string_view stylesheet() noexcept {
  return R"css(
:root { --ink: #1b1b1b; --muted: #5f6368; --rule: #dedede; --accent: #1d3b5c; --alarm: #c0392b;
        --paper: #fffefb; --demo: #8a5a00; }
* { box-sizing: border-box; }
html { background: var(--paper); color: var(--ink); }
body { margin: 0 auto; max-width: 68rem; padding: 2.5rem 1.5rem 4rem;
       font: 17px/1.55 Charter, "Bitstream Charter", "Iowan Old Style", Georgia, "DejaVu Serif", serif; }
h1, h2, h3, h4, nav, table, .figure, .small, figcaption, dl, .banner, .demo-label, .kicker {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", sans-serif; }
h1 { font-size: 2.1rem; line-height: 1.15; margin: .2rem 0 .6rem; letter-spacing: -.01em; }
h2 { font-size: 1.35rem; margin: 2.8rem 0 .6rem; padding-top: .8rem; border-top: 2px solid var(--ink); }
h3 { font-size: 1.08rem; margin: 1.8rem 0 .4rem; }
h4 { font-size: .95rem; margin: 1.3rem 0 .3rem; color: var(--muted); text-transform: uppercase;
     letter-spacing: .04em; }
p { max-width: 44rem; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .78rem; color: var(--muted); margin: 0; }
.lede { font-size: 1.12rem; color: #333; }
nav { font-size: .85rem; margin-top: 1rem; }
nav a { margin-right: .9rem; }
a { color: var(--accent); }
.small, figcaption { font-size: .82rem; color: var(--muted); }
.missing { color: var(--muted); font-style: italic; }
.banner { border-left: 5px solid var(--muted); background: #f4f4f4; padding: .8rem 1rem; margin: 1.2rem 0; }
.banner.alarm { border-color: var(--alarm); background: #fbeceb; }
.banner ul { margin: .4rem 0 0; padding-left: 1.2rem; }
.headline { display: grid; grid-template-columns: repeat(auto-fit, minmax(11.5rem, 1fr)); gap: 1rem;
            margin: 1.2rem 0; }
.figure { border-top: 3px solid var(--accent); padding-top: .5rem; }
.figure .what { font-size: .85rem; color: var(--muted); }
.figure .big { font-size: 2rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.figure .ci { font-size: .9rem; font-variant-numeric: tabular-nums; }
.figure .prior { font-size: .8rem; color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr)); gap: .5rem 1.5rem; }
figure.chart { margin: .8rem 0; }
.vega { width: 100%; }
.scroll { overflow-x: auto; margin: .6rem 0 1rem; }
table { border-collapse: collapse; font-size: .82rem; width: 100%; }
th { text-align: left; font-weight: 600; border-bottom: 2px solid var(--ink); padding: .3rem .5rem; }
td { border-bottom: 1px solid var(--rule); padding: .3rem .5rem; vertical-align: top; }
td.date { white-space: nowrap; }
.nowrap { white-space: nowrap; }
table.model td.note { min-width: 16rem; font-size: .78rem; color: #333; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.conflict td { background: #fbeceb; }
tr.conflict td:first-child { border-left: 3px solid var(--alarm); }
tr:target td { background: #fff4c2; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; font-size: .85rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
.excerpts blockquote { margin: .6rem 0; padding: .2rem 0 .2rem 1rem; border-left: 3px solid var(--rule); }
.excerpts blockquote:target { border-color: var(--accent); background: #f1f5fa; }
.excerpts blockquote p { margin: 0; }
.excerpts footer { font-size: .78rem; color: var(--muted); font-family: system-ui, sans-serif; }
mark { background: #ffe58a; padding: 0 .1em; }
.listset.demo { border: 2px dashed var(--demo); padding: .2rem 1.2rem 1rem; margin: 1.5rem 0; background: #fffaf0; }
.demo-label { color: var(--demo); font-weight: 700; text-transform: uppercase; letter-spacing: .06em;
              font-size: .8rem; margin: .8rem 0 0; }
pre { font-size: .78rem; background: #f6f6f3; padding: .8rem; overflow-x: auto; }
code { font-size: .85em; }
details summary { cursor: pointer; font-family: system-ui, sans-serif; font-size: .9rem; }
footer#reproduce { margin-top: 3rem; }
table.hashes td { word-break: break-all; }
@media print { nav { display: none; } body { max-width: none; font-size: 11pt; } h2 { break-before: page; }
               .grid { grid-template-columns: 1fr 1fr; } }
)css";
}

}  // namespace recount::report::detail
