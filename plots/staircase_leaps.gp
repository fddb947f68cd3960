# Claim MS, figure 4: the leap ladder. Fitted exponent of T in d (least-squares slope of
# log T vs log d, error bars +- 2 SE) against the leap L = 1..4 of the target (staircase,
# x1 + x1x2x3, x1x2x3, x1x2x3x4), with the prediction max(L - 1, 1) of [ABM23] and the
# interval the test asserts (theorems/staircase.md). Leap 4 (step 2/d^2): the escape time
# (FVU < 0.9) is asserted; its hitting time (FVU < 0.1, open circle) carries the Theta(d^2)
# descent and is shown, not asserted.
# Reads resdir/staircase_leaps.csv: leap,predicted,slope,se,lo,hi,n,observable
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
system("mkdir -p '".figdir."'")
set datafile separator comma
f = resdir."/staircase_leaps.csv"
set xrange [0.5:4.7]
set yrange [0:4.2]
set xtics ("1\nstaircase" 1, "2\nx1 + x1x2x3" 2, "3\nx1x2x3" 3, "4\nx1x2x3x4" 4)
set xlabel "leap of the target" offset 0,-0.8
set bmargin 5
set ylabel "exponent p of the SGD time, T = C d^{p}"
set grid
set key top left
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 800,600 font ",11"; set output figdir."/staircase_leaps.png" }
  if (fmt eq "svg") { set terminal svg size 800,600 font ",11"; set output figdir."/staircase_leaps.svg" }
  set title "The leap ladder: fitted exponent vs leap (2-layer mean-field ReLU, online SGD)"
  plot f skip 1 using 1:2 with linespoints dt 2 lw 1.5 pt 12 ps 2 lc rgb "black" title "predicted max(L - 1, 1)", \
       f skip 1 using ($1-0.12):(($5==$5) ? $5 : 1/0):(0):($6-$5) with vectors nohead lw 8 lc rgb "gray70" \
          title "asserted interval (test grid)", \
       f skip 1 using 1:(($8==1 || $1<4) ? $3 : 1/0):(2*$4) with yerrorbars pt 7 ps 1.3 lw 2 lc rgb "#1f77b4" \
          title "fitted slope +- 2 SE (leap 4: escape time, FVU < 0.9)", \
       f skip 1 using ($1+0.12):(($1==4 && $8==0) ? $3 : 1/0):(2*$4) with yerrorbars pt 6 ps 1.3 lw 1.5 \
          lc rgb "#d62728" title "leap 4 hitting time (FVU < 0.1, includes the d^2 descent; not asserted)"
  unset output
}
