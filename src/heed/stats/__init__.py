"""Pure statistics for Heed (numpy/scipy only, no Django). Each function cites its reference."""
