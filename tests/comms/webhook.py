# webhook.py PORTFILE BODYFILE - accept one HTTP POST on 127.0.0.1, save its
# body, answer 204, exit.  The port is written to PORTFILE once listening.
import http.server, sys

class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        with open(sys.argv[2], "wb") as f:
            f.write(self.rfile.read(n))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass

srv = http.server.HTTPServer(("127.0.0.1", 0), Hook)
srv.timeout = 30
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
srv.handle_request()
