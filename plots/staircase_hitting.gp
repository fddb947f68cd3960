# Claim MS, figure 2: hitting time T (steps to test MSE < 0.1 Var y) vs d, log-log, every
# run (points), geometric mean over seeds and the least-squares fit (lines), reference
# slopes 1 and 2 through the smallest d; fitted slopes in the key.
# Reads resdir/staircase_hitting.csv, staircase_hitmean.csv, staircase_fit.csv.
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
# figure-<name> does not create figdir before the scripts run (plot-<name> does)
system("mkdir -p '".figdir."'")
set datafile separator comma
fh = resdir."/staircase_hitting.csv"
fm = resdir."/staircase_hitmean.csv"
ff = resdir."/staircase_fit.csv"
stats ff skip 1 using ($1==0 ? $2 : 1/0) nooutput
s0 = STATS_max
stats ff skip 1 using ($1==0 ? $3 : 1/0) nooutput
e0 = STATS_max
stats ff skip 1 using ($1==1 ? $2 : 1/0) nooutput
s1 = STATS_max
stats ff skip 1 using ($1==1 ? $3 : 1/0) nooutput
e1 = STATS_max
stats fm skip 1 using 2 nooutput
dmin = STATS_min; dmax = STATS_max
stats fm skip 1 using (($1==0 && $2==dmin) ? $3 : 1/0) nooutput
t0 = STATS_max
stats fm skip 1 using (($1==1 && $2==dmin) ? $3 : 1/0) nooutput
t1 = STATS_max
set logscale x 2
set logscale y 10
set format y "10^{%L}"
set xrange [dmin/1.3:dmax*1.3]
set xlabel "input dimension d"
set ylabel "hitting time T (SGD steps)"
set grid
set key top left
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 800,600 font ",11"; set output figdir."/staircase_hitting.png" }
  if (fmt eq "svg") { set terminal svg size 800,600 font ",11"; set output figdir."/staircase_hitting.svg" }
  set title "Online SGD hitting time, 2-layer mean-field ReLU (N = 64), step 0.5/d"
  plot fh skip 1 using 2:($1==0 ? $4 : 1/0) with points pt 7 ps 0.6 lc 1 notitle, \
       fh skip 1 using 2:($1==1 ? $4 : 1/0) with points pt 5 ps 0.6 lc 2 notitle, \
       fm skip 1 using 2:($1==0 ? $4 : 1/0) with lines lw 2 lc 1 \
          title sprintf("staircase (MSP): fitted slope %.2f +- %.2f", s0, e0), \
       fm skip 1 using 2:($1==1 ? $4 : 1/0) with lines lw 2 lc 2 \
          title sprintf("x1x2x3 (leap 3): fitted slope %.2f +- %.2f", s1, e1), \
       fm skip 1 using 2:($1==0 ? $3 : 1/0) with points pt 6 ps 1.5 lc 1 title "geometric mean over seeds", \
       fm skip 1 using 2:($1==1 ? $3 : 1/0) with points pt 4 ps 1.5 lc 2 notitle, \
       t0*(x/dmin) with lines dt 2 lc rgb "gray40" title "reference slope 1", \
       t1*(x/dmin)**2 with lines dt 3 lc rgb "gray20" title "reference slope 2"
  unset output
}
