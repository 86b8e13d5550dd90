"""Running requests at the same moment, one thread each (the race tests)."""

import threading

from django.db import connection


def race(requests):
    """Run the callables at the same moment, one thread each; return their results."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, request):
        try:
            barrier.wait(timeout=10)
            results[index] = request()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
