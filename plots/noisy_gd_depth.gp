# Claim NG, figure 2: the bound holds at every depth (n = 16, k = 8): per depth, the NG bound,
# sqrt(lambda), measured mean |corr| (1 SE) and the x1 control. Reads resdir/noisy_gd_points.csv.
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
set datafile separator comma
f = resdir."/noisy_gd_points.csv"
set logscale y
set format y "10^{%L}"
set yrange [1e-7:3]
set xrange [1.5:4.5]
set xtics ("depth 2" 2, "depth 3" 3, "depth 4" 4)
set ylabel "correlation"
set grid ytics
set key bottom right box opaque
# the NG1 depth panel (column 19 "panel" = 1): depth 2 at n = 16; depths 3, 4 at n = 14 (quick) or 16 (full)
n16(c) = ($19 == 1 ? column(c) : 1/0)
pos(x) = (x > 0 ? x : 1/0)
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 800,600 font ",11"; set output figdir."/noisy_gd_depth.png" }
  if (fmt eq "svg") { set terminal svg size 800,600 font ",11"; set output figdir."/noisy_gd_depth.svg" }
  set title "NG1, parity of degree n/2 (n = 16 at depth 2; 14 at depths 3, 4 in quick mode): every depth stays under its bound"
  plot f skip 1 using ($3-0.15):(n16(14)) with points pt 7 ps 2 lc rgb "#1f4e9c" title "NG bound", \
       f skip 1 using ($3-0.15):(n16(6)) with points pt 2 ps 2 lc rgb "black" title "sqrt(lambda)", \
       f skip 1 using 3:(n16(7)):(pos(n16(7) - n16(8))):(n16(7) + n16(8)) with yerrorbars pt 5 ps 1.5 lc rgb "#c0392b" title "measured mean |corr|", \
       f skip 1 using ($3+0.15):(n16(10)) with points pt 9 ps 2 lc rgb "#27ae60" title "control: corr with x1"
  unset output
}
