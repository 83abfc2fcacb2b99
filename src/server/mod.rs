//! The regional server: HTTP API and its storage backends.
