"""UnaMentis media (spec: "Media Generation"): capabilities found from what is installed,
the spec's own examples (the Mermaid `graph LR`, the quadratic formula, the "Italian
City-States" map) and one larger real diagram of each kind rendered as SVG (parsed as
XML) and PNG (of the asked size), validation with the renderers' own messages and line
numbers, the six map styles drawing six different pictures, and hostile input (a graph
that keeps Graphviz busy past its deadline, a million nested braces, 100,000 markers)
answered 400/422 within its bound while the server keeps serving.

The media core draws without the database, so this file runs once (on SQLite)."""

import base64
import io
import itertools
import struct
import time
import unittest
import uuid
import xml.etree.ElementTree as ET

import requests

from harness import AtriumServer, postgres_server_url

PASSWORD = "correct-horse-7"
_addresses = itertools.count(1)
SVG = "{http://www.w3.org/2000/svg}svg"

SPEC_MERMAID = "graph LR\n  A --> B"
QUADRATIC = r"x = \frac{-b \pm \sqrt{b^2-4ac}}{2a}"
SPEC_MAP = {
    "title": "Italian City-States",
    "center": {"latitude": 43.0, "longitude": 12.0},
    "zoom": 6,
    "style": "educational",
    "width": 800,
    "height": 600,
    "outputFormat": "png",
    "markers": [{"latitude": 41.9, "longitude": 12.5, "label": "Rome", "color": "#E74C3C"}],
    "routes": [{"points": [[41.9, 12.5], [43.7, 11.2]], "label": "Trade Route", "color": "#3498DB", "width": 2.0}],
    "regions": [{"points": [[42.0, 11.0], [42.5, 13.0], [41.5, 13.0]], "label": "Papal States",
                 "fillColor": "#ff0000", "fillOpacity": 0.3}],
}

LARGE_MERMAID = """sequenceDiagram
    participant S as Student
    participant T as Tutor
    participant C as Curriculum
    S->>T: Ask about photosynthesis
    T->>C: Load topic "Plants"
    C-->>T: Transcript and media
    loop Every segment
        T->>S: Explain the segment
        S-->>T: Question or "go on"
    end
    alt Understood
        T->>S: Quiz
    else Confused
        T->>C: Fetch simpler explanation
        C-->>T: Alternative segment
        T->>S: Explain again
    end
    Note over S,T: The session ends with a summary
"""

LARGE_DOT = "digraph build {\n  rankdir=LR; node [shape=box];\n" + "".join(
    f'  "{a}" -> "{b}";\n' for a, b in [
        ("main", "app"), ("app", "config"), ("app", "transport"), ("app", "dialects"), ("dialects", "core"),
        ("dialects", "http"), ("transport", "http"), ("core", "result"), ("core", "clock"), ("storage", "core"),
        ("app", "storage"), ("storage", "sqlite"), ("storage", "postgres"), ("engines", "core"),
        ("app", "engines"), ("engines", "cairo"), ("engines", "poppler"), ("engines", "rsvg"),
        ("http", "boost_json"), ("transport", "beast"), ("beast", "asio"), ("core", "events"),
        ("events", "redis"), ("app", "jobs"), ("jobs", "core")]) + "}\n"

LARGE_PLANTUML = """@startuml
actor Learner
participant "Voice app" as App
participant "Atrium" as Server
database "Curricula" as DB
Learner -> App : "Teach me fractions"
App -> Server : POST /api/sessions
Server -> DB : load topic
DB --> Server : UMCF document
Server --> App : transcript segments
App -> Learner : speaks segment 1
@enduml
"""

LARGE_FORMULA = r"""\begin{aligned} \nabla \cdot \mathbf{E} &= \frac{\rho}{\varepsilon_0} \\
\nabla \cdot \mathbf{B} &= 0 \\ \nabla \times \mathbf{E} &= -\frac{\partial \mathbf{B}}{\partial t} \\
\nabla \times \mathbf{B} &= \mu_0 \left( \mathbf{J} + \varepsilon_0 \frac{\partial \mathbf{E}}{\partial t} \right)
\end{aligned}"""


def png_size(data):
    """The width and height in a PNG's IHDR chunk (and that it is a PNG)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_root(data):
    root = ET.fromstring(data)
    assert root.tag == SVG, root.tag
    return root


class UnamentisMediaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if postgres_server_url():
            raise unittest.SkipTest("the media core does not use the database: run once, on SQLite")
        cls.srv = AtriumServer(config={
            "security": {"trusted_proxies": ["127.0.0.1"]},
            "media": {"diagram_deadline_ms": 4000, "max_concurrent": 2},
        }).start()
        cls.token = cls.register()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        assert code == 0, code
        assert "ERROR: AddressSanitizer" not in log and "runtime error:" not in log, log

    @classmethod
    def call(cls, method, path, body=None, token=None, timeout=60):
        n = next(_addresses)
        headers = {"X-Forwarded-For": f"10.77.{n // 256 % 256}.{n % 256}"}
        if token is None:
            token = getattr(cls, "token", None)
        if token:
            headers["Authorization"] = "Bearer " + token
        return requests.request(method, cls.srv.url("unamentis", path), json=body, headers=headers, timeout=timeout)

    @classmethod
    def register(cls):
        r = cls.call("POST", "/api/auth/register",
                     {"email": f"media-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD,
                      "display_name": "Media Tester"}, token="")
        assert r.status_code == 201, r.text
        return r.json()["tokens"]["access_token"]

    def image(self, r, mime, render_method):
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertIs(body["success"], True)
        self.assertEqual(body["mimeType"], mime)
        self.assertEqual(body["renderMethod"], render_method)
        return body, base64.b64decode(body["data"])

    def test_capabilities_say_what_is_installed(self):
        r = self.call("GET", "/api/media/capabilities")
        self.assertEqual(r.status_code, 200, r.text)
        caps = r.json()["capabilities"]
        self.assertIs(r.json()["success"], True)
        self.assertEqual(caps["diagrams"]["formats"], ["mermaid", "graphviz", "plantuml", "d2"])
        renderers = caps["diagrams"]["renderers"]
        self.assertIs(renderers["mermaid"], True)
        self.assertIs(renderers["graphviz"], True)
        self.assertIs(renderers["plantuml"], True)
        self.assertIs(renderers["d2"], False)  # no d2 binary is packaged
        self.assertIs(caps["formulas"]["renderers"]["mathjax"], True)
        self.assertIs(caps["formulas"]["renderers"]["katex"], False)
        self.assertIn(caps["formulas"]["renderers"]["latex"], (True, False))
        self.assertEqual(caps["maps"]["styles"],
                         ["standard", "historical", "physical", "satellite", "minimal", "educational"])
        self.assertIs(caps["maps"]["renderers"]["cairo"], True)
        self.assertEqual(caps["maps"]["features"], ["markers", "routes", "regions"])
        # A token is needed, as for every API route.
        r = self.call("GET", "/api/media/capabilities", token="")
        self.assertEqual(r.status_code, 401, r.text)

    def test_the_spec_mermaid_diagram_as_svg_and_png(self):
        r = self.call("POST", "/api/media/diagrams/render",
                      {"format": "mermaid", "code": SPEC_MERMAID, "outputFormat": "svg", "theme": "default",
                       "width": 800, "height": 600})
        body, data = self.image(r, "image/svg+xml", "mermaid")
        root = svg_root(data)
        self.assertEqual((root.get("width"), root.get("height")), ("800", "600"))
        self.assertEqual((body["width"], body["height"]), (800, 600))
        self.assertIn(b"A", data)
        r = self.call("POST", "/api/media/diagrams/render",
                      {"format": "mermaid", "code": SPEC_MERMAID, "outputFormat": "png", "width": 800, "height": 600})
        body, data = self.image(r, "image/png", "mermaid")
        self.assertEqual(png_size(data), (800, 600))
        # The dark theme draws something else.
        dark = self.call("POST", "/api/media/diagrams/render",
                         {"format": "mermaid", "code": SPEC_MERMAID, "outputFormat": "png", "theme": "dark",
                          "width": 800, "height": 600})
        self.assertNotEqual(self.image(dark, "image/png", "mermaid")[1], data)

    def test_larger_diagrams_of_every_installed_renderer(self):
        for fmt, code, method in [("mermaid", LARGE_MERMAID, "mermaid"), ("graphviz", LARGE_DOT, "graphviz"),
                                  ("plantuml", LARGE_PLANTUML, "plantuml")]:
            with self.subTest(fmt):
                r = self.call("POST", "/api/media/diagrams/render", {"format": fmt, "code": code})
                body, data = self.image(r, "image/svg+xml", method)
                svg_root(data)
                self.assertGreater(body["width"], 100)
                self.assertGreater(body["height"], 50)
                r = self.call("POST", "/api/media/diagrams/render",
                              {"format": fmt, "code": code, "outputFormat": "png", "width": 640})
                body, data = self.image(r, "image/png", method)
                w, h = png_size(data)
                self.assertEqual(w, 640)
                self.assertEqual((body["width"], body["height"]), (w, h))

    def test_validation_gives_the_renderers_messages_and_lines(self):
        ok = self.call("POST", "/api/media/diagrams/validate", {"format": "mermaid", "code": SPEC_MERMAID})
        self.assertEqual(ok.status_code, 200, ok.text)
        self.assertEqual(ok.json(), {"success": True, "valid": True, "errors": [], "errorsDetail": []})
        bad = self.call("POST", "/api/media/diagrams/validate",
                        {"format": "mermaid", "code": "graph LR\n  A --> B\n  B --> ((("})
        body = bad.json()
        self.assertEqual(bad.status_code, 200, bad.text)
        self.assertIs(body["valid"], False)
        self.assertEqual(body["errorsDetail"][0]["line"], 3)
        self.assertTrue(body["errors"][0].startswith("line 3: "), body)
        dot = self.call("POST", "/api/media/diagrams/validate",
                        {"format": "graphviz", "code": "digraph {\n  a -> b;\n  b -> ;\n}\n"})
        body = dot.json()
        self.assertIs(body["valid"], False)
        self.assertEqual(body["errorsDetail"][0]["line"], 3, body)
        self.assertIn("syntax error", body["errors"][0])
        puml = self.call("POST", "/api/media/diagrams/validate",
                         {"format": "plantuml", "code": "@startuml\nAlice -> Bob: hi\nthis is not plantuml\n@enduml\n"})
        body = puml.json()
        self.assertIs(body["valid"], False, body)
        self.assertEqual(body["errorsDetail"][0]["line"], 3, body)
        # Rendering the broken source is a 400 naming the line.
        r = self.call("POST", "/api/media/diagrams/render", {"format": "graphviz", "code": "digraph {\n a -> ;\n}"})
        self.assertEqual(r.status_code, 400, r.text)
        self.assertEqual(r.json()["error"], "invalid_diagram_source")
        self.assertIn("line 2", r.json()["message"])

    def test_bad_requests_and_missing_renderers(self):
        cases = [
            ({"code": "a -> b"}, 400, "missing_field"),
            ({"format": "visio", "code": "x"}, 400, "validation_error"),
            ({"format": "mermaid"}, 400, "missing_field"),
            ({"format": "mermaid", "code": SPEC_MERMAID, "theme": "neon"}, 400, "validation_error"),
            ({"format": "mermaid", "code": SPEC_MERMAID, "width": 100000}, 400, "validation_error"),
            ({"format": "mermaid", "code": SPEC_MERMAID, "outputFormat": "gif"}, 400, "validation_error"),
            ({"format": "d2", "code": "a -> b"}, 503, "renderer_unavailable"),
        ]
        for body, status, code in cases:
            with self.subTest(body=body):
                r = self.call("POST", "/api/media/diagrams/render", body)
                self.assertEqual(r.status_code, status, r.text)
                self.assertEqual(r.json()["error"], code, r.text)
                self.assertEqual(r.json()["code"], code.upper())
        r = requests.post(self.srv.url("unamentis", "/api/media/diagrams/render"), data=b"{nope",
                          headers={"Authorization": "Bearer " + self.token, "Content-Type": "application/json",
                                   "X-Forwarded-For": "10.78.0.1"}, timeout=30)
        self.assertEqual(r.status_code, 400, r.text)
        self.assertEqual(r.json()["error"], "invalid_json")

    def test_the_quadratic_formula_and_a_larger_one(self):
        r = self.call("POST", "/api/media/formulas/render",
                      {"latex": QUADRATIC, "outputFormat": "svg", "displayMode": True, "fontSize": 18,
                       "color": "#000000"})
        body, data = self.image(r, "image/svg+xml", "mathjax")
        root = svg_root(data)
        self.assertGreater(body["width"], 50)
        self.assertGreater(body["height"], 20)
        self.assertIn("#000000", root.get("style", "") + data.decode())
        blue = self.call("POST", "/api/media/formulas/render", {"latex": QUADRATIC, "color": "#1E90FF"})
        self.assertIn(b"#1E90FF", self.image(blue, "image/svg+xml", "mathjax")[1])
        big = self.call("POST", "/api/media/formulas/render", {"latex": QUADRATIC, "fontSize": 36})
        self.assertGreater(big.json()["width"], body["width"])
        png = self.call("POST", "/api/media/formulas/render", {"latex": LARGE_FORMULA, "outputFormat": "png"})
        body, data = self.image(png, "image/png", "mathjax")
        self.assertEqual(png_size(data), (body["width"], body["height"]))
        self.assertGreater(body["height"], 60)

    def test_formula_validation(self):
        ok = self.call("POST", "/api/media/formulas/validate", {"latex": QUADRATIC})
        self.assertEqual(ok.status_code, 200, ok.text)
        self.assertEqual(ok.json()["valid"], True)
        self.assertEqual(ok.json()["errors"], [])
        self.assertEqual(ok.json()["warnings"], [])
        unknown = self.call("POST", "/api/media/formulas/validate", {"latex": r"x = \foo{y}"}).json()
        self.assertIs(unknown["valid"], False)
        self.assertTrue(any("\\foo" in e for e in unknown["errors"]), unknown)
        braces = self.call("POST", "/api/media/formulas/validate", {"latex": r"\frac{a}{b"}).json()
        self.assertIs(braces["valid"], False)
        self.assertTrue(any("brace" in e.lower() for e in braces["errors"]), braces)
        r = self.call("POST", "/api/media/formulas/render", {"latex": r"\frac{a}{b"})
        self.assertEqual(r.status_code, 400, r.text)
        self.assertEqual(r.json()["error"], "invalid_formula")
        r = self.call("POST", "/api/media/formulas/render", {"latex": QUADRATIC, "fontSize": 1000})
        self.assertEqual(r.status_code, 400, r.text)

    def test_the_spec_map_and_its_styles(self):
        r = self.call("POST", "/api/media/maps/render", SPEC_MAP)
        body, data = self.image(r, "image/png", "cairo")
        self.assertEqual(png_size(data), (800, 600))
        self.assertEqual((body["width"], body["height"]), (800, 600))
        pictures = {}
        for style in ["standard", "historical", "physical", "satellite", "minimal", "educational"]:
            r = self.call("POST", "/api/media/maps/render", dict(SPEC_MAP, style=style))
            pictures[style] = self.image(r, "image/png", "cairo")[1]
        self.assertEqual(len(set(pictures.values())), 6, "every style draws a different picture")
        svg = self.call("POST", "/api/media/maps/render", dict(SPEC_MAP, outputFormat="svg"))
        root = svg_root(self.image(svg, "image/svg+xml", "cairo")[1])
        self.assertTrue(root.get("width").startswith("800"), root.attrib)
        styles = self.call("GET", "/api/media/maps/styles").json()
        self.assertIs(styles["success"], True)
        self.assertEqual([s["id"] for s in styles["styles"]],
                         ["standard", "historical", "physical", "satellite", "minimal", "educational"])
        for s in styles["styles"]:
            self.assertTrue(s["name"] and s["description"], s)
        # A larger real map: Europe's capitals, a route through them, two regions.
        capitals = [(48.86, 2.35, "Paris"), (52.52, 13.40, "Berlin"), (41.90, 12.50, "Rome"),
                    (40.42, -3.70, "Madrid"), (50.85, 4.35, "Brussels"), (48.21, 16.37, "Vienna"),
                    (52.23, 21.01, "Warsaw"), (59.33, 18.07, "Stockholm"), (38.72, -9.14, "Lisbon"),
                    (37.98, 23.73, "Athens")]
        europe = {
            "title": "Capitals of Europe", "center": {"latitude": 50, "longitude": 10}, "zoom": 3.5,
            "style": "physical", "width": 1024, "height": 768,
            "markers": [{"latitude": a, "longitude": b, "label": n, "color": "#123456"} for a, b, n in capitals],
            "routes": [{"points": [[a, b] for a, b, _ in capitals], "label": "Grand Tour", "color": "#aa0000"}],
            "regions": [{"points": [[54, 5], [54, 15], [47, 15], [47, 5]], "label": "Core", "fillColor": "#00f",
                         "fillOpacity": 0.2},
                        {"points": [[44, -9], [44, 3], [36, 3], [36, -9]], "label": "Iberia",
                         "fillColor": "#0f0", "fillOpacity": 0.5}],
        }
        r = self.call("POST", "/api/media/maps/render", europe)
        self.assertEqual(png_size(self.image(r, "image/png", "cairo")[1]), (1024, 768))

    def test_bad_maps(self):
        cases = [
            (dict(SPEC_MAP, style="neon"), 400),
            (dict(SPEC_MAP, zoom=40), 400),
            (dict(SPEC_MAP, center={"latitude": 95, "longitude": 0}), 400),
            (dict(SPEC_MAP, markers=[{"latitude": 1, "longitude": 2, "color": "red"}]), 400),
            (dict(SPEC_MAP, routes=[{"points": [[1, 2]]}]), 400),
            (dict(SPEC_MAP, regions=[{"points": "nope"}]), 400),
            (dict(SPEC_MAP, width=0), 400),
            (dict(SPEC_MAP, width=100000), 400),
        ]
        for body, status in cases:
            with self.subTest(body={k: body[k] for k in body if k not in SPEC_MAP or body[k] != SPEC_MAP[k]}):
                r = self.call("POST", "/api/media/maps/render", body)
                self.assertEqual(r.status_code, status, r.text)
                self.assertIn(r.json()["error"], ("validation_error", "invalid_map_request", "missing_field"), r.text)

    def test_hostile_input_is_refused_in_bounded_time_and_the_server_keeps_serving(self):
        # A dense graph keeps dot busy far past the 4 s deadline: killed, 422.
        nodes = 260
        spin = "digraph { " + " ".join(f"n{i} -> n{(i * 7 + j) % nodes};" for i in range(nodes) for j in range(1, 12)) + " }"
        started = time.monotonic()
        r = self.call("POST", "/api/media/diagrams/render", {"format": "graphviz", "code": spin}, timeout=30)
        elapsed = time.monotonic() - started
        self.assertIn(r.status_code, (400, 422), r.text)
        if r.status_code == 422:
            self.assertEqual(r.json()["error"], "render_timeout")
        self.assertLess(elapsed, 25)  # a bound on the answer, not a speed claim
        # A million nested braces: refused by size before any renderer sees them.
        r = self.call("POST", "/api/media/formulas/render", {"latex": "{" * 1000000 + "x" + "}" * 1000000})
        self.assertEqual(r.status_code, 422, r.text)
        self.assertEqual(r.json()["error"], "render_too_large")
        # Within the size limit but deep: the worker's brace scan answers, no recursion.
        r = self.call("POST", "/api/media/formulas/validate", {"latex": "{" * 4900 + "x" + "}" * 4900})
        self.assertEqual(r.status_code, 200, r.text)
        r = self.call("POST", "/api/media/formulas/validate", {"latex": "{" * 9000})
        self.assertIs(r.json()["valid"], False)
        # 100,000 markers: refused by count.
        markers = [{"latitude": (i % 170) - 85, "longitude": (i % 360) - 180} for i in range(100000)]
        r = self.call("POST", "/api/media/maps/render", dict(SPEC_MAP, markers=markers))
        self.assertEqual(r.status_code, 422, r.text)
        self.assertEqual(r.json()["error"], "render_too_large")
        # A huge mermaid source: too large.
        r = self.call("POST", "/api/media/diagrams/render", {"format": "mermaid", "code": "graph LR\n" + "A-->B\n" * 20000})
        self.assertEqual(r.status_code, 422, r.text)
        # Still serving, and still drawing.
        self.assertEqual(requests.get(self.srv.url("unamentis", "/health"), timeout=10).status_code, 200)
        r = self.call("POST", "/api/media/diagrams/render", {"format": "graphviz", "code": "digraph { x -> y }"})
        self.image(r, "image/svg+xml", "graphviz")


if __name__ == "__main__":
    unittest.main()
