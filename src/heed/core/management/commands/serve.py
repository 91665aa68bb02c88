"""``heed serve``: serve Heed with waitress (static files through WhiteNoise)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Heed over HTTP with a production WSGI server (waitress)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host: str, port: int, threads: int, **options):
        from waitress import serve

        from heed.wsgi import application

        self.stdout.write(f"Heed is serving at http://{host}:{port}/  (Ctrl+C stops it)")
        serve(application, host=host, port=port, threads=threads)
