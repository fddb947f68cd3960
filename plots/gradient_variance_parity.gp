# Claim GV1, figure: Var/E||g||^2 of the degree-k parities vs k (log y), all 2^n points,
# n-32-1 tanh (mean over seeds), with the [SSS17] bound 1/C(n,k) for each n.
# Reads resdir/parity_mean.csv (n,k,var_over_eg2,inv_binom).
if (!exists("resdir")) resdir = "."
if (!exists("figdir")) figdir = "."
system("mkdir -p '".figdir."'")  # figure-<family> does not create it
set datafile separator comma
fm = resdir."/parity_mean.csv"
stats fm skip 1 using 1 nooutput
nmin = STATS_min; nmax = STATS_max
set logscale y
set format y "10^{%L}"
set xlabel "parity degree k"
set ylabel "Var / E||g||^2"
set grid
set key top center
do for [fmt in "png svg"] {
  if (fmt eq "png") { set terminal pngcairo size 800,600 font ",11"; set output figdir."/gradient_variance_parity.png" }
  if (fmt eq "svg") { set terminal svg size 800,600 font ",11"; set output figdir."/gradient_variance_parity.svg" }
  set title "Parities of degree k on {±1}^n: exact gradient variance (FWHT engine)"
  plot for [n=int(nmin):int(nmax):2] fm skip 1 using 2:($1==n && $3 > 0 ? $3 : 1/0) with linespoints lw 2 pt 7 lc (n-int(nmin))/2+1 \
         title sprintf("n = %d: measured", n), \
       for [n=int(nmin):int(nmax):2] fm skip 1 using 2:($1==n ? $4 : 1/0) with lines dt 2 lw 1 lc (n-int(nmin))/2+1 \
         title sprintf("n = %d: bound 1/C(n,k) [SSS17]", n)
  unset output
}
