"""The load benchmark's reference: the thinnest save on the product's stack (bench only, never deployed).

bench/run_load.sh serves the product with bench.reference.settings, which adds this app and its one
URL to the product's: session sign-in, the same middleware, one row read (locked) and updated in a
transaction, the same response template as the answer save. The answer save's latency is reported
as a ratio to this one's. See bench/README.md.
"""
