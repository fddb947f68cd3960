# Claim NG, figure 1: the explicit noisy-GD bound vs n at k = n/2 (depth 2, log y):
# measured mean |<f_T, chi_S>| over 10 runs (error bar: 1 SE; open circles: the largest run),
# the bound sqrt(lambda) + 1/2 (sum_t E G(theta^J_t) / tau^2)^(1/2) measured along junk runs
# (band: junk-run mean +- 4 SE), sqrt(lambda) = C(n, n/2)^(-1/2) alone, and the x1 control.
# Reads resdir/noisy_gd_points.csv (benchmarks/noisy_gd.c).
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
set datafile separator comma
f = resdir."/noisy_gd_points.csv"
set logscale y
set format y "10^{%L}"
set yrange [1e-7:3]
set xlabel "n (target: parity of degree n/2 on the n-dimensional hypercube)"
set offsets 0.5, 0.5, 0, 0
set ylabel "correlation"
set grid
set key bottom left box opaque
set xtics 2
# depth-2 points of the NG1/NG2 panels (column 19 "panel": 3 is the tight regime at k = 1)
dep2(c) = ($3 == 2 && $19 != 3 ? column(c) : 1/0)
pos(x) = (x > 0 ? x : 1/0)
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 900,600 font ",11"; set output figdir."/noisy_gd_bound.png" }
  if (fmt eq "svg") { set terminal svg size 900,600 font ",11"; set output figdir."/noisy_gd_bound.svg" }
  set title "NG: noisy GD (depth 2, tanh, exact population gradients; T = 150 at n <= 14, 300 at n = 16) vs the explicit bound"
  plot f skip 1 using 1:(dep2(15)):(dep2(16)) with filledcurves lc rgb "#c8d8f0" fs solid 0.6 title "bound, junk sum +-4 SE", \
       f skip 1 using 1:(dep2(14)) with linespoints lw 2 pt 7 lc rgb "#1f4e9c" title "NG bound (measured G)", \
       f skip 1 using 1:(dep2(6)) with linespoints lw 2 dt 2 pt 6 lc rgb "black" title "sqrt(lambda) = C(n,n/2)^{-1/2}", \
       f skip 1 using 1:(dep2(7)):(pos(dep2(7) - dep2(8))):(dep2(7) + dep2(8)) with yerrorbars pt 5 ps 1.2 lc rgb "#c0392b" title "measured mean |corr| (1 SE)", \
       f skip 1 using 1:(dep2(9)) with points pt 6 ps 1.2 lc rgb "#c0392b" title "largest |corr| of a run", \
       f skip 1 using 1:(dep2(10)) with points pt 9 ps 1.5 lc rgb "#27ae60" title "control: corr with x1 (same trainer)"
  unset output
}
