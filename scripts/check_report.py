#!/usr/bin/env python3
"""Render an RgLens HTML report in headless Chromium; fail on a broken image, an empty page or a console error.

Usage: check_report.py REPORT.html
Exit status 0 when the page renders cleanly, 1 when it does not (the reasons are printed), 2 on usage
errors (missing file, no Chromium). Standard library only. A probe script is injected at the top of
<head> of a temporary copy beside the report (so relative links still resolve); it records JavaScript
errors, resource load failures and console.error calls, and after the load event writes a summary line
into the DOM, which Chromium prints with --dump-dom.
"""
import os, re, shutil, subprocess, sys, tempfile

PROBE = """<script>
window.__rglensErrors = [];
window.addEventListener('error', function (e) {
  var t = e.target, what = (t && (t.src || t.href)) ? ('failed to load ' + (t.src || t.href).slice(0, 80)) : (e.message || 'error');
  window.__rglensErrors.push(what);
}, true);
(function () { var original = console.error; console.error = function () {
  window.__rglensErrors.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); original.apply(console, arguments); }; })();
window.addEventListener('load', function () {
  var images = document.images, broken = [];
  for (var i = 0; i < images.length; i++)
    if (!images[i].complete || images[i].naturalWidth === 0) broken.push(images[i].alt || images[i].src.slice(0, 60));
  var text = ((document.body && document.body.innerText) || '').trim().length;
  var out = document.createElement('pre');
  out.textContent = 'RGLENS-CHECK images=' + images.length + ' broken=' + broken.length + ' text=' + text +
    ' errors=' + window.__rglensErrors.length + ' || ' + broken.join(' ;; ') + ' || ' + window.__rglensErrors.join(' ;; ');
  document.body.appendChild(out);
});
</script>
"""


def main(argv):
    if len(argv) != 2:
        print("usage: check_report.py REPORT.html", file=sys.stderr)
        return 2
    report = os.path.abspath(argv[1])
    if not os.path.isfile(report):
        print(f"check_report: no such file: {report}", file=sys.stderr)
        return 2
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("check_report: Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    with open(report, encoding="utf-8") as f:
        html = f.read()
    if not re.search(r"<head[^>]*>", html, re.IGNORECASE):
        print("check_report: FAIL: the page has no <head>")
        return 1
    probed = re.sub(r"(<head[^>]*>)", lambda m: m.group(1) + PROBE, html, count=1, flags=re.IGNORECASE)
    copy = os.path.join(os.path.dirname(report), ".rglens-check-" + os.path.basename(report))
    profile = tempfile.mkdtemp(prefix="rglens-chromium-")
    try:
        with open(copy, "w", encoding="utf-8") as f:
            f.write(probed)
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               f"--user-data-dir={profile}", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-quic", "--enable-logging=stderr", "--v=0",
               "--virtual-time-budget=15000", "--dump-dom", "file://" + copy]
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    finally:
        if os.path.exists(copy):
            os.remove(copy)
        shutil.rmtree(profile, ignore_errors=True)
    m = re.search(r"RGLENS-CHECK images=(\d+) broken=(\d+) text=(\d+) errors=(\d+) \|\| (.*?) \|\| (.*?)</pre>", run.stdout, re.DOTALL)
    if not m:
        print(f"check_report: FAIL: the page did not finish loading in Chromium (exit {run.returncode})")
        print(run.stderr[-2000:])
        return 1
    images, broken, text, errors = (int(m.group(i)) for i in range(1, 5))
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line and ("ERROR" in line or "error" in line.lower())]
    problems = []
    if text < 200:
        problems.append(f"the page is (almost) empty: {text} characters of text")
    if broken:
        problems.append(f"{broken} of {images} images are broken: {m.group(5)}")
    if errors:
        problems.append(f"{errors} script or resource error(s): {m.group(6)}")
    if console:
        problems.append("console errors: " + " | ".join(console[:5]))
    if problems:
        for p in problems:
            print("check_report: FAIL: " + p)
        return 1
    print(f"check_report: OK: {images} images rendered, {text} characters of text, no console errors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
