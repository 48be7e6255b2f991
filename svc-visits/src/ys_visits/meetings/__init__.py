"""Joint meetings (联席会议): periodic analysis, timed early warning, targeted diagnosis
(定期研判、定时预警、靶向问诊); each decision becomes a 交办单 handed to a department."""
