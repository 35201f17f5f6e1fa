"""Plan, price, confirm, run: OSS's simulated operations (rename, delete, edit) and restores.

OSS has no rename and no in-place edit, and archived objects cannot be read until restored.
Everything here first enumerates what an operation will touch and prices it in requests,
objects, bytes and days charged (never currency: prices differ by region and change), so the
UI and the verbs can show the price before anything is spent. Nothing here imports Textual.
"""
